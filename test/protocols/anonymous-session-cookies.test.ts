import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { call, type Seen } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { logIn, raw } from './wire.js';

const SESSION_COOKIE = /^SESS[0-9a-f]{32}=[A-Za-z0-9_-]{43}; expires=[^;]+; Max-Age=2000000; path=\/; HttpOnly$/;

const register = (s: TestServer, body: unknown, headers: Record<string, string> = {}) =>
  call(`${s.url}/rest/user/register.json`, { method: 'POST', headers, json: body });

function assertNewAnonymousSession(r: Seen, label: string): void {
  assert.equal(r.setCookies.length, 1, `${label}: ${JSON.stringify(r.setCookies)}`);
  assert.match(r.setCookies[0], SESSION_COOKIE, label);
}

/**
 * Drupal's lazy sessions: a visitor gets a cookie only when something lands in $_SESSION, which over
 * Services means the messages of the registration form (failed or not), never anything else.
 */
describe('anonymous session cookies', () => {
  let s: TestServer;
  before(async () => { s = await startTestServer({ preset: 'peer' }); });
  after(async () => { await s.close(); });

  test('a failed registration sets an anonymous session cookie (its form errors are stored)', async () => {
    const taken = await register(s, { name: 'alice', mail: 'other@example.com', pass: 'x' });
    assert.equal(taken.status, 406);
    assertNewAnonymousSession(taken, 'name taken');
    const empty = await register(s, {});
    assert.equal(empty.status, 406);
    assertNewAnonymousSession(empty, 'empty form');
    // The cookie names a real anonymous session: connect echoes it and keeps it.
    const cookie = taken.setCookies[0].split(';')[0];
    const connect = await call(`${s.url}/rest/system/connect.json`, { method: 'POST', headers: { cookie }, json: {} });
    assert.equal(connect.json.sessid, cookie.split('=')[1]);
    assert.equal(connect.json.user.uid, 0);
    assert.deepEqual(connect.setCookies, []);
  });

  test('requests rejected before the form runs set none: invalid JSON, unsupported type, access denied', async () => {
    const invalid = await call(`${s.url}/rest/user/register.json`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: 'null' });
    assert.equal(invalid.status, 400);
    assert.deepEqual(invalid.setCookies, []);
    const type = await call(`${s.url}/rest/user/register.json`, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: 'x' });
    assert.equal(type.status, 406);
    assert.deepEqual(type.setCookies, []);
    const missing = await call(`${s.url}/rest/user/login.json`, { method: 'POST', json: {} });
    assert.equal(missing.status, 401);
    assert.deepEqual(missing.setCookies, []);
  });

  test('verification and approval messages set one: the account is created, not logged in', async () => {
    await s.setVariable('user_email_verification', true);
    const verify = await register(s, { name: 'ver1', mail: 'ver1@example.com', pass: 'p1' });
    assert.equal(verify.status, 200);
    assertNewAnonymousSession(verify, 'verification');
    await s.setVariable('user_register', 2);
    const approval = await register(s, { name: 'appr1', mail: 'appr1@example.com', pass: 'p1' });
    assert.equal(approval.status, 200);
    assertNewAnonymousSession(approval, 'approval');
    const admin = await logIn(s, 'admin', 'admin');
    const account = await call(`${s.url}/rest/user/${approval.json.uid}.json`, { headers: { cookie: admin.cookie } });
    assert.equal(account.json.login, '0');
    assert.equal(account.json.status, '0');
    await s.setVariable('user_register', 0);
    const closed = await register(s, { name: 'nobody1', mail: 'nobody1@example.com', pass: 'p1' });
    assert.equal(closed.status, 403);
    assert.deepEqual(closed.setCookies, []);
    await s.setVariable('user_register', 1);
    await s.setVariable('user_email_verification', false);
  });

  test('an administrator creating an account gets no cookie', async () => {
    const admin = await logIn(s, 'admin', 'admin');
    const r = await register(s, { name: 'byadmin', mail: 'byadmin@example.com', pass: 'x' }, { cookie: admin.cookie, 'X-CSRF-Token': admin.token });
    assert.equal(r.status, 200);
    assert.deepEqual(r.setCookies, []);
  });

  test('request_new_password never sets one (the mail is queued, so it cannot fail in the request)', async () => {
    for (const [body, status] of [[{ name: 'alice' }, 200], [{ name: 'nobody' }, 406], [{ name: 'carol' }, 406], [{}, 401]] as const) {
      const r = await call(`${s.url}/rest/user/request_new_password.json`, { method: 'POST', json: body });
      assert.equal(r.status, status, JSON.stringify(body));
      assert.deepEqual(r.setCookies, [], JSON.stringify(body));
    }
  });

  test('nothing else sets one: connect, tokens, failed logins, reads, 404s', async () => {
    const calls: Array<[string, string, string | null]> = [
      ['POST', '/rest/system/connect.json', '{}'], ['POST', '/rest/user/token.json', '{}'], ['GET', '/services/session/token', null],
      ['POST', '/rest/user/login.json', '{"username":"alice","password":"wrong"}'], ['GET', '/rest/user/2.json', null],
      ['GET', '/rest/nosuch', null], ['POST', '/rest/user/logout.json', '{}'],
    ];
    for (const [method, path, body] of calls) {
      const r = await raw(s, method, path, [['Content-Type', 'application/json']], body);
      assert.deepEqual(r.setCookies, [], `${method} ${path}`);
    }
  });

  test('a stale cookie: deleted when nothing is stored, repeated twice when a registration starts a session', async () => {
    const { sessionName } = await logIn(s, 'bob', 'bobpass');
    const stale = `${sessionName}=bogus-session-id`;
    const connect = await call(`${s.url}/rest/system/connect.json`, { method: 'POST', headers: { cookie: stale }, json: {} });
    assert.deepEqual(connect.setCookies.map((c) => c.split(';')[0]), [`${sessionName}=deleted`]);
    const reg = await register(s, { name: 'newuser3', mail: 'newuser3@example.com', pass: 'secret3' }, { cookie: stale, 'X-CSRF-Token': 'garbage' });
    assert.equal(reg.status, 200);
    assert.equal(reg.setCookies.length, 2);
    assert.equal(reg.setCookies[0], reg.setCookies[1]);
    assert.match(reg.setCookies[0], SESSION_COOKIE);
  });
});
