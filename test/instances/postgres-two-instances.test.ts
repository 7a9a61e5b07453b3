/**
 * Two servers on one PostgreSQL schema, each keeping role names, permissions and settings in memory: a logout,
 * a block, a role change, a permission granted or a setting changed through one is seen by the other on its
 * very next request (the change counter read in each request's one query), never after a delay.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import pg from 'pg';
import { call, cookieOf } from '../helpers/http.js';
import { pgSkip, useTwoInstances } from './two-instances.js';

describe('two instances on one PostgreSQL: what one changes, the other sees on its next request', { skip: pgSkip ?? false }, () => {
  const pair = useTwoInstances({ config: { baseUrl: 'http://accounts.example.com' } });

  const login = async (url: string, username: string, password: string) => {
    const r = await call(`${url}/rest/user/login`, { method: 'POST', json: { username, password } });
    assert.equal(r.status, 200, r.text);
    return { cookie: cookieOf(r.json), token: r.json.token as string, uid: Number(r.json.user.uid) };
  };
  const connect = (url: string, s?: { cookie: string; token: string }) =>
    call(`${url}/rest/system/connect.json`, { method: 'POST', headers: s ? { cookie: s.cookie, 'X-CSRF-Token': s.token } : {}, json: {} });

  test('log out on B: the session A has been serving is gone on A at once', async () => {
    const { a, b } = pair.get();
    const alice = await login(a.url, 'alice', 'alicepass');
    for (let i = 0; i < 3; i++) assert.equal((await call(`${a.url}/rest/user/${alice.uid}.json`, { headers: { cookie: alice.cookie } })).status, 200);
    const logout = await call(`${b.url}/rest/user/logout.json`, { method: 'POST', headers: { cookie: alice.cookie, 'X-CSRF-Token': alice.token }, json: {} });
    assert.deepEqual(logout.json, [true]);
    assert.equal((await connect(a.url, alice)).json.user.uid, 0, 'A sees an anonymous visitor on the next request');
  });

  test('an administrator blocks an account on B: its session on A is anonymous on the next request', async () => {
    const { a, b } = pair.get();
    const bob = await login(a.url, 'bob', 'bobpass');
    assert.equal((await connect(a.url, bob)).json.user.name, 'bob');
    const admin = await login(b.url, 'admin', 'admin');
    const block = await call(`${b.url}/rest/user/${bob.uid}.json`, { method: 'PUT', headers: { cookie: admin.cookie, 'X-CSRF-Token': admin.token }, json: { status: 0 } });
    assert.equal(block.status, 200, block.text);
    assert.equal((await connect(a.url, bob)).json.user.uid, 0);
    const unblock = await call(`${b.url}/rest/user/${bob.uid}.json`, { method: 'PUT', headers: { cookie: admin.cookie, 'X-CSRF-Token': admin.token }, json: { status: 1 } });
    assert.equal(unblock.status, 200, unblock.text);
  });

  test('a role given on B: the next request on A carries it', async () => {
    const { a, b } = pair.get();
    const rid = String((await a.server.store.roles.all()).find((r) => r.name === 'administrator')?.rid);
    const alice = await login(a.url, 'alice', 'alicepass');
    for (let i = 0; i < 2; i++) assert.deepEqual((await connect(a.url, alice)).json.user.roles, { 2: 'authenticated user' });
    const admin = await login(b.url, 'admin', 'admin');
    const give = await call(`${b.url}/rest/user/${alice.uid}.json`, { method: 'PUT', headers: { cookie: admin.cookie, 'X-CSRF-Token': admin.token }, json: { roles: { [rid]: rid } } });
    assert.equal(give.status, 200, give.text);
    assert.deepEqual((await connect(a.url, alice)).json.user.roles, { 2: 'authenticated user', [rid]: 'administrator' });
  });

  test('a permission granted on B: the next anonymous request on A has it', async () => {
    const { a, b } = pair.get();
    for (let i = 0; i < 2; i++) assert.equal((await call(`${a.url}/rest/user/2.json`)).status, 403, 'A keeps the permissions in memory');
    await b.server.store.roles.grant(1, ['access user profiles']);
    assert.equal((await call(`${a.url}/rest/user/2.json`)).status, 200);
  });

  test('a setting changed on B (system/set_variable) rules the next request on A', async () => {
    const { a, b } = pair.get();
    const register = (n: number) => call(`${a.url}/rest/user/register.json`, { method: 'POST', json: { name: `visitor${n}`, mail: `visitor${n}@example.com`, pass: 'secret-pass' } });
    assert.equal((await register(1)).status, 200);
    for (let i = 0; i < 2; i++) assert.equal((await connect(a.url)).status, 200);
    const admin = await login(b.url, 'admin', 'admin');
    const set = await call(`${b.url}/rest/system/set_variable.json`, { method: 'POST', headers: { cookie: admin.cookie, 'X-CSRF-Token': admin.token }, json: { name: 'user_register', value: 0 } });
    assert.equal(set.status, 200, set.text);
    assert.equal((await register(2)).status, 403, 'only administrators may register accounts now, on A too');
  });

  test('the request query failing: 500, nothing left unhandled, the next request answers again', async () => {
    const { a, b } = pair.get();
    const alice = await login(a.url, 'alice', 'alicepass');
    const db = a.server.database.db;
    await sql`alter table gatehouse_change rename to gatehouse_change_away`.execute(db);
    try {
      assert.equal((await connect(a.url, alice)).status, 500);
      assert.equal((await connect(b.url)).status, 500);
    } finally {
      await sql`alter table gatehouse_change_away rename to gatehouse_change`.execute(db);
    }
    await new Promise((r) => setTimeout(r, 50));
    assert.equal((await connect(a.url, alice)).json.user.name, 'alice');
  });

  test('one round trip per request: a retrieve, connect, the session token and the Drupal 8 dialect with a session cookie make one query', async () => {
    const { a } = pair.get();
    const admin = await login(a.url, 'admin', 'admin');
    await call(`${a.url}/rest/user/1.json`, { headers: { cookie: admin.cookie } });
    // Every query any pooled connection sends (Kysely's and the named prepared statements alike).
    const queries: string[] = [];
    const client = pg.Client.prototype as unknown as { query(q: unknown, ...rest: unknown[]): unknown };
    const original = client.query;
    client.query = function (this: unknown, q: unknown, ...rest: unknown[]) {
      queries.push(typeof q === 'string' ? q : (q as { text: string }).text);
      return original.call(this, q, ...rest);
    };
    try {
      for (const path of ['/rest/user/1.json', '/rest/system/connect.json']) {
        queries.length = 0;
        const r = await call(`${a.url}${path}`, path.includes('connect') ? { method: 'POST', headers: { cookie: admin.cookie, 'X-CSRF-Token': admin.token }, json: {} } : { headers: { cookie: admin.cookie } });
        assert.equal(r.status, 200);
        assert.equal(queries.length, 1, `${path}: ${queries.join(' | ')}`);
      }
      // The session token (its fast path and the routed one) and the Drupal 8 dialect read the same way.
      for (const path of ['/services/session/token', '/?q=services/session/token', '/user/1?_format=json', '/user/login_status?_format=json']) {
        queries.length = 0;
        const r = await call(`${a.url}${path}`, { headers: { cookie: admin.cookie } });
        assert.equal(r.status, 200, `${path}: ${r.text}`);
        assert.equal(queries.length, 1, `${path}: ${queries.join(' | ')}`);
      }
      queries.length = 0;
      assert.equal((await connect(a.url)).status, 200);
      assert.equal(queries.length, 1, `anonymous connect: ${queries.join(' | ')}`);
    } finally {
      client.query = original;
    }
  });
});
