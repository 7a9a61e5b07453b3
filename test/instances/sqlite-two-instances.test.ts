/**
 * Two servers on one SQLite file, as `gatehouse serve --workers 2` runs on the embedded default. Each keeps
 * sessions, accounts, roles and settings in memory between requests; a change made through either one is
 * seen by the other on its very next request (PRAGMA data_version), never after a delay.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { call, cookieOf } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

describe('two instances on one SQLite file: what one changes, the other sees at once', () => {
  let dir = '';
  let a: TestServer;
  let b: TestServer;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-two-sqlite-'));
    const databaseUrl = `sqlite:${path.join(dir, 'shared.sqlite')}`;
    const config = { baseUrl: 'http://accounts.example.com' };
    a = await startTestServer({ databaseUrl, config });
    b = await startTestServer({ databaseUrl, config, seedAccounts: false });
  });
  after(async () => {
    await a?.close();
    await b?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const login = async (url: string, username: string, password: string) => {
    const r = await call(`${url}/rest/user/login`, { method: 'POST', json: { username, password } });
    assert.equal(r.status, 200, r.text);
    return { cookie: cookieOf(r.json), token: r.json.token as string, uid: Number(r.json.user.uid) };
  };

  test('log out on B: the session A has been serving is gone on A at once', async () => {
    const alice = await login(a.url, 'alice', 'alicepass');
    for (let i = 0; i < 3; i++) {
      const own = await call(`${a.url}/rest/user/${alice.uid}.json`, { headers: { cookie: alice.cookie } });
      assert.equal(own.status, 200, 'A serves the session (and keeps it in memory)');
    }
    const logout = await call(`${b.url}/rest/user/logout.json`, { method: 'POST', headers: { cookie: alice.cookie, 'X-CSRF-Token': alice.token }, json: {} });
    assert.deepEqual(logout.json, [true]);
    const after = await call(`${a.url}/rest/system/connect.json`, { method: 'POST', headers: { cookie: alice.cookie }, json: {} });
    assert.equal(after.json.user.uid, 0, 'A sees an anonymous visitor on the next request');
  });

  test('an administrator blocks an account on B: its session on A is anonymous on the next request', async () => {
    const bob = await login(a.url, 'bob', 'bobpass');
    const before = await call(`${a.url}/rest/system/connect.json`, { method: 'POST', headers: { cookie: bob.cookie, 'X-CSRF-Token': bob.token }, json: {} });
    assert.equal(before.json.user.name, 'bob');
    const admin = await login(b.url, 'admin', 'admin');
    const block = await call(`${b.url}/rest/user/${bob.uid}.json`, { method: 'PUT', headers: { cookie: admin.cookie, 'X-CSRF-Token': admin.token }, json: { status: 0 } });
    assert.equal(block.status, 200, block.text);
    const after = await call(`${a.url}/rest/system/connect.json`, { method: 'POST', headers: { cookie: bob.cookie, 'X-CSRF-Token': bob.token }, json: {} });
    assert.equal(after.json.user.uid, 0);
  });

  test('a setting changed on B (system/set_variable) rules the next request on A', async () => {
    const register = (n: number) => call(`${a.url}/rest/user/register.json`, { method: 'POST', json: { name: `visitor${n}`, mail: `visitor${n}@example.com`, pass: 'secret-pass' } });
    const open = await register(1);
    assert.equal(open.status, 200, open.text);
    // Requests that only read: A keeps the settings in memory from here on.
    for (let i = 0; i < 2; i++) assert.equal((await call(`${a.url}/rest/system/connect.json`, { method: 'POST', json: {} })).status, 200);
    const admin = await login(b.url, 'admin', 'admin');
    const set = await call(`${b.url}/rest/system/set_variable.json`, { method: 'POST', headers: { cookie: admin.cookie, 'X-CSRF-Token': admin.token }, json: { name: 'user_register', value: 0 } });
    assert.equal(set.status, 200, set.text);
    const closed = await register(2);
    assert.equal(closed.status, 403, 'only administrators may register accounts now, on A too');
  });
});
