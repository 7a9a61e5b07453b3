import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { call } from '../../helpers/http.js';
import { startTestServer, type TestServer } from '../../helpers/test-server.js';
import { d8Login } from './d8-client.js';

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

describe('Drupal 8+ login, login_status, logout, session/token', () => {
  let s: TestServer;
  before(async () => { s = await startTestServer({ preset: 'peer' }); });
  after(async () => { await s.close(); });

  test('login answers current_user (uid as a string, no roles for an ordinary user), the two tokens and a session cookie', async () => {
    const r = await call(`${s.url}/user/login?_format=json`, { method: 'POST', json: { name: 'alice', pass: 'alicepass' } });
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-type'), 'application/json');
    assert.deepEqual(Object.keys(r.json), ['current_user', 'csrf_token', 'logout_token']);
    assert.deepEqual(r.json.current_user, { uid: r.json.current_user.uid, name: 'alice' });
    assert.equal(typeof r.json.current_user.uid, 'string');
    assert.match(r.json.csrf_token, TOKEN);
    assert.match(r.json.logout_token, TOKEN);
    assert.notEqual(r.json.csrf_token, r.json.logout_token);
    assert.match(r.setCookies[0], /^SESS[0-9a-f]{32}=[A-Za-z0-9_-]{43}; /);
  });

  test('roles only for a user with administer users, as machine names', async () => {
    const a = await d8Login(s.url, 'admin', 'admin');
    assert.deepEqual(a.login.json.current_user.roles, ['authenticated', 'administrator']);
    assert.deepEqual(Object.keys(a.login.json.current_user), ['uid', 'roles', 'name']);
  });

  test('the login error rows: logged in, missing credentials, blocked, wrong password (11.4 wording)', async () => {
    const a = await d8Login(s.url, 'bob', 'bobpass');
    const again = await call(`${s.url}/user/login?_format=json`, { method: 'POST', headers: { cookie: a.cookie }, json: { name: 'bob', pass: 'bobpass' } });
    assert.equal(again.status, 403);
    assert.equal(again.text, '{"message":"This route can only be accessed by anonymous users."}');
    const rows: Array<[unknown, number, string]> = [
      [{}, 400, 'Missing credentials.'],
      [[1, 2], 400, 'Missing credentials.'],
      [{ name: null, pass: null }, 400, 'Missing credentials.'],
      [{ pass: 'x' }, 400, 'Missing credentials.name.'],
      [{ name: 'alice' }, 400, 'Missing credentials.pass.'],
      [{ name: 'carol', pass: 'carolpass' }, 400, 'The user has not been activated or is blocked.'],
      [{ name: 'alice', pass: 'wrong' }, 400, 'Unrecognized username or password.'],
      [{ name: 'nobody', pass: 'wrong' }, 400, 'Unrecognized username or password.'],
      [{ name: 'alice@example.com', pass: 'alicepass' }, 400, 'Unrecognized username or password.'],
    ];
    const broken = await call(`${s.url}/user/login?_format=json`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":' });
    assert.equal(broken.status, 400);
    assert.deepEqual(broken.json, { message: 'Syntax error' });
    for (const [body, status, message] of rows) {
      const r = await call(`${s.url}/user/login?_format=json`, { method: 'POST', json: body });
      assert.equal(r.status, status, JSON.stringify(body));
      assert.deepEqual(r.json, { message }, JSON.stringify(body));
      assert.equal(r.headers.get('content-type'), 'application/json');
    }
  });

  test('login_status: 0 without a session (none started), 1 with one', async () => {
    const anon = await call(`${s.url}/user/login_status?_format=json`);
    assert.equal(anon.status, 200);
    assert.equal(anon.text, '0');
    assert.equal(anon.headers.get('content-type'), 'text/plain; charset=UTF-8');
    assert.deepEqual(anon.setCookies, []);
    const a = await d8Login(s.url, 'alice', 'alicepass');
    const logged = await call(`${s.url}/user/login_status?_format=json`, { headers: { cookie: a.cookie } });
    assert.equal(logged.text, '1');
  });

  test('logout needs the logout token: missing, invalid (JSON_HEX_APOS escaping), then 204 and the session is gone', async () => {
    const a = await d8Login(s.url, 'alice', 'alicepass');
    const missing = await call(`${s.url}/user/logout?_format=json`, { method: 'POST', headers: { cookie: a.cookie } });
    assert.equal(missing.status, 403);
    assert.equal(missing.text, '{"message":"\\u0027csrf_token\\u0027 URL query argument is missing."}');
    const wrong = await call(`${s.url}/user/logout?_format=json&token=${a.csrf}`, { method: 'POST', headers: { cookie: a.cookie } });
    assert.equal(wrong.status, 403);
    assert.equal(wrong.json.message, "'csrf_token' URL query argument is invalid.");
    const anonymous = await call(`${s.url}/user/logout?_format=json&token=${a.logout}`, { method: 'POST' });
    assert.equal(anonymous.status, 403);
    const ok = await call(`${s.url}/user/logout?_format=json&token=${a.logout}`, { method: 'POST', headers: { cookie: a.cookie } });
    assert.equal(ok.status, 204);
    assert.equal(ok.text, '');
    assert.match(ok.setCookies.join('\n'), /=deleted; expires=Thu, 01 Jan 1970/);
    const after = await call(`${s.url}/user/login_status?_format=json`, { headers: { cookie: a.cookie } });
    assert.equal(after.text, '0');
  });

  test('/session/token: the session\'s header token; a visitor gets a new useless one each time and no session', async () => {
    const a = await d8Login(s.url, 'bob', 'bobpass');
    const t = await call(`${s.url}/session/token`, { headers: { cookie: a.cookie } });
    assert.equal(t.status, 200);
    assert.equal(t.headers.get('content-type'), 'text/plain; charset=UTF-8');
    assert.equal(t.text, a.csrf);
    const v1 = await call(`${s.url}/session/token`);
    const v2 = await call(`${s.url}/session/token`);
    assert.match(v1.text, TOKEN);
    assert.notEqual(v1.text, v2.text);
    assert.deepEqual(v1.setCookies, []);
  });

  test('_format is mandatory (404 here without it), other formats 406, Accept is ignored, wrong methods 405 with Allow', async () => {
    const noFormat = await call(`${s.url}/user/login`, { method: 'POST', json: { name: 'alice', pass: 'alicepass' } });
    // Without _format the path is the HTML login page's (its form token is missing: 403), never the JSON login.
    assert.ok([403, 404].includes(noFormat.status), String(noFormat.status));
    assert.equal(noFormat.json?.current_user, undefined);
    assert.ok(!noFormat.setCookies.some((c) => /^SESS[^=]*=(?!deleted)/.test(c)), 'no session started');
    const xml = await call(`${s.url}/user/login?_format=xml`, { method: 'POST', json: { name: 'alice', pass: 'alicepass' } });
    assert.equal(xml.status, 406);
    assert.equal(xml.json.message, 'No route found for the specified format xml. Supported formats: json.');
    const accept = await call(`${s.url}/user/login?_format=json`, { method: 'POST', headers: { accept: 'application/xml' }, json: { name: 'alice', pass: 'alicepass' } });
    assert.equal(accept.status, 200);
    assert.equal(accept.headers.get('content-type'), 'application/json');
    const get = await call(`${s.url}/user/login?_format=json`);
    assert.equal(get.status, 405);
    assert.equal(get.headers.get('allow'), 'POST');
    assert.match(get.json.message, /^No route found for "GET http:\/\/127\.0\.0\.1:\d+\/user\/login": Method Not Allowed \(Allow: POST\)$/);
    const put = await call(`${s.url}/user/2?_format=json`, { method: 'PUT', json: {} });
    assert.equal(put.status, 405);
    assert.equal(put.headers.get('allow'), 'GET, HEAD, PATCH, DELETE');
  });

  test('the one-time login page under /user/reset is still served', async () => {
    const r = await call(`${s.url}/user/reset/2/1/x`);
    assert.notEqual(r.status, 404);
  });
});
