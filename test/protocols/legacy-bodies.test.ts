import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { logIn, raw } from './wire.js';

/** What real clients send and the real site accepts: odd bodies, odd tokens, headers in any case. */
describe('legacy habits: bodies, tokens and headers', () => {
  let s: TestServer;
  before(async () => { s = await startTestServer({ preset: 'peer' }); });
  after(async () => { await s.close(); });

  test('logout accepts no body, an empty chunked body, "", {} and {"dummy": null}', async () => {
    const bodies: Array<[string, Array<[string, string]>, string | null]> = [
      ['no body, no Content-Type', [], null],
      ['no body, JSON type', [['Content-Type', 'application/json']], null],
      ['empty chunked body', [['Content-Type', 'application/json'], ['Transfer-Encoding', 'chunked']], '0\r\n\r\n'],
      ['""', [['Content-Type', 'application/json']], '""'],
      ['{}', [['Content-Type', 'application/json']], '{}'],
      ['{"dummy": null}', [['Content-Type', 'application/json']], '{"dummy": null}'],
      ['empty form body', [['Content-Type', 'application/x-www-form-urlencoded']], ''],
    ];
    for (const [label, headers, body] of bodies) {
      const alice = await logIn(s, 'alice', 'alicepass');
      const r = await raw(s, 'POST', '/rest/user/logout.json', [['Cookie', alice.cookie], ['X-CSRF-Token', alice.token], ...headers], body);
      assert.equal(r.status, 200, label);
      assert.equal(r.body, '[true]', label);
      assert.match(r.setCookies[0], /=deleted; expires=Thu, 01 Jan 1970 00:00:01 GMT; Max-Age=0; path=\/; HttpOnly$/, label);
    }
  });

  test('system/connect and user/token accept the same bodies from anonymous callers', async () => {
    for (const body of [null, '""', '{}', '{"dummy": null}', '[]']) {
      const connect = await raw(s, 'POST', '/rest/system/connect.json', body === null ? [] : [['Content-Type', 'application/json']], body);
      assert.equal(connect.status, 200, String(body));
      assert.equal(JSON.parse(connect.body).user.uid, 0);
      const token = await raw(s, 'POST', '/rest/user/token.json', body === null ? [] : [['Content-Type', 'application/json']], body);
      assert.equal(token.status, 200, String(body));
      assert.match(JSON.parse(token.body).token, /^[A-Za-z0-9_-]{43}$/);
      assert.deepEqual(connect.setCookies, []);
    }
  });

  test('login with no body at all is a missing argument, not a parse error', async () => {
    const r = await raw(s, 'POST', '/rest/user/login.json');
    assert.equal(r.status, 401);
    assert.equal(r.reason, 'Unauthorized : Missing required argument username');
    const chunked = await raw(s, 'POST', '/rest/user/login.json', [['Content-Type', 'application/json'], ['Transfer-Encoding', 'chunked']], '0\r\n\r\n');
    assert.equal(chunked.reason, 'Unauthorized : Missing required argument username');
    // A form body with no Content-Type is read as urlencoded, as the real site does.
    const form = await raw(s, 'POST', '/rest/user/login.json', [], 'username=bob&password=bobpass');
    assert.equal(form.status, 200);
    assert.equal(JSON.parse(form.body).user.name, 'bob');
  });

  test('anonymous callers are never CSRF-checked: X-CSRF-Token null, garbage, empty, with or without a stale cookie', async () => {
    const { sessionName } = await logIn(s, 'alice', 'alicepass');
    for (const token of ['null', 'garbage', '', 'undefined']) {
      for (const cookie of [null, `${sessionName}=stale`]) {
        const headers: Array<[string, string]> = [['Content-Type', 'application/json'], ['X-CSRF-Token', token]];
        if (cookie) headers.push(['Cookie', cookie]);
        const connect = await raw(s, 'POST', '/rest/system/connect.json', headers, '{}');
        assert.equal(connect.status, 200, `${token} ${cookie}`);
        const login = await raw(s, 'POST', '/rest/user/login.json', headers, '{"username":"bob","password":"bobpass"}');
        assert.equal(login.status, 200, `${token} ${cookie}`);
      }
    }
  });

  test('header names in any case: x-csrf-token, X-CSRF-TOKEN, content-type, services-user-login-version', async () => {
    for (const name of ['x-csrf-token', 'X-CSRF-TOKEN', 'X-Csrf-Token']) {
      const bob = await logIn(s, 'bob', 'bobpass');
      const r = await raw(s, 'POST', '/rest/system/connect.json', [['cookie', bob.cookie], [name, bob.token], ['CONTENT-TYPE', 'application/json']], '{}');
      assert.equal(r.status, 200, name);
      assert.equal(JSON.parse(r.body).user.name, 'bob');
      const wrong = await raw(s, 'POST', '/rest/system/connect.json', [['cookie', bob.cookie], [name, 'x'], ['content-type', 'application/json']], '{}');
      assert.equal(wrong.reason, 'Unauthorized : CSRF validation failed', name);
    }
    const v11 = await raw(s, 'POST', '/rest/user/login.json', [['content-type', 'application/json'], ['services-user-login-version', '1.1']], '{"name":"bob","pass":"bobpass"}');
    assert.equal(v11.status, 200);
  });

  test('/services/session/token answers any method with the session token, and starts no session', async () => {
    const bob = await logIn(s, 'bob', 'bobpass');
    for (const method of ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
      const body = method === 'GET' || method === 'OPTIONS' ? null : '{}';
      const r = await raw(s, method, '/services/session/token', [['Cookie', bob.cookie], ['Content-Type', 'application/json']], body);
      assert.equal(r.status, 200, method);
      assert.equal(r.header('content-type'), 'text/plain;charset=UTF-8');
      assert.equal(r.body, bob.token, method);
      assert.deepEqual(r.setCookies, []);
    }
    const head = await raw(s, 'HEAD', '/services/session/token', [['Cookie', bob.cookie]]);
    assert.equal(head.status, 200);
    const anonymous = await raw(s, 'POST', '/?q=services/session/token');
    assert.match(anonymous.body, /^[A-Za-z0-9_-]{43}$/);
    assert.deepEqual(anonymous.setCookies, []);
  });
});
