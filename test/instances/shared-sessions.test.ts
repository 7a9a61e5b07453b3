import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { GarbageCollector } from '../../src/ops/gc-job.js';
import { call, cookieOf } from '../helpers/http.js';
import { pgSkip, useTwoInstances } from './two-instances.js';

describe('two instances on one PostgreSQL: sessions, CSRF tokens and flood counters are shared', { skip: pgSkip ?? false }, () => {
  // One public address for both, as behind a load balancer (the session cookie's name derives from it).
  const pair = useTwoInstances({ config: { baseUrl: 'http://accounts.example.com' }, settings: { user_failed_login_ip_limit: 4, user_failed_login_user_limit: 50 } });

  test('log in on A, fetch the token and PUT on B, log out on B: A sees an anonymous visitor', async () => {
    const { a, b } = pair.get();
    const login = await call(`${a.url}/rest/user/login`, { method: 'POST', json: { username: 'alice', password: 'alicepass' } });
    assert.equal(login.status, 200);
    const cookie = cookieOf(login.json);
    const token = await call(`${b.url}/services/session/token`, { headers: { cookie } });
    assert.equal(token.text, login.json.token, 'B knows the session A started');
    const put = await call(`${b.url}/rest/user/2`, { method: 'PUT', headers: { cookie, 'X-CSRF-Token': token.text }, json: { timezone: 'Europe/Paris' } });
    assert.equal(put.status, 200, put.text);
    const onA = await call(`${a.url}/rest/user/2.json`, { headers: { cookie } });
    assert.equal(onA.json.timezone, 'Europe/Paris');
    const connectA = await call(`${a.url}/rest/system/connect`, { method: 'POST', headers: { cookie, 'X-CSRF-Token': token.text }, json: {} });
    assert.equal(connectA.json.user.name, 'alice');

    const logout = await call(`${b.url}/rest/user/logout`, { method: 'POST', headers: { cookie, 'X-CSRF-Token': token.text }, json: {} });
    assert.deepEqual(logout.json, [true]);
    const after = await call(`${a.url}/rest/system/connect`, { method: 'POST', headers: { cookie }, json: {} });
    assert.equal(after.status, 200);
    assert.equal(after.json.user.uid, 0);
    const again = await call(`${a.url}/rest/user/logout`, { method: 'POST', headers: { cookie, 'X-CSRF-Token': token.text }, json: {} });
    assert.equal(again.status, 406);
    assert.equal(again.reason, 'Not Acceptable : User is not logged in.');
  });

  test('failed logins on A and on B add up to one per-IP limit', async () => {
    const { a, b } = pair.get();
    const fail = (url: string) => call(`${url}/rest/user/login`, { method: 'POST', json: { username: 'bob', password: 'wrong' } });
    const seen = [await fail(a.url), await fail(b.url), await fail(a.url), await fail(b.url)];
    assert.deepEqual(seen.map((r) => r.reason), Array(4).fill('Unauthorized : Wrong username or password.'));
    const blockedOnA = await call(`${a.url}/rest/user/login`, { method: 'POST', json: { username: 'bob', password: 'bobpass' } });
    assert.match(blockedOnA.reason, /This IP address is temporarily blocked\./);
    const blockedOnB = await call(`${b.url}/rest/user/login`, { method: 'POST', json: { username: 'bob', password: 'bobpass' } });
    assert.match(blockedOnB.reason, /This IP address is temporarily blocked\./);
  });

  test('session garbage collection on both instances at once removes only sessions idle past the limit', async () => {
    const { a, b } = pair.get();
    await a.server.database.db.deleteFrom('flood').execute();
    const login = async (username: string, password: string) => cookieOf((await call(`${a.url}/rest/user/login`, { method: 'POST', json: { username, password } })).json);
    const stale = await login('admin', 'admin');
    const fresh = await login('alice', 'alicepass');
    const db = a.server.database.db;
    const now = Math.floor(Date.now() / 1000);
    await db.updateTable('sessions').set({ timestamp: now - 200_001 }).where('uid', '=', 1).execute();
    const gc = (s: typeof a) => new GarbageCollector({ store: s.server.store, clock: s.server.core.clock, maxIdle: 200_000, intervalSeconds: 0 });
    const [ra, rb] = await Promise.all([gc(a).runOnce(), gc(b).runOnce()]);
    assert.equal(ra.sessions + rb.sessions, 1);
    const who = async (cookie: string) => {
      const token = (await call(`${b.url}/services/session/token`, { headers: { cookie } })).text;
      return (await call(`${b.url}/rest/system/connect`, { method: 'POST', headers: { cookie, 'X-CSRF-Token': token }, json: {} })).json.user.uid;
    };
    assert.equal(await who(stale), 0, 'the idle session is gone');
    assert.equal(await who(fresh), '2');
  });
});
