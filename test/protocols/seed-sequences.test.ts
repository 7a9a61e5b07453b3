import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { call, cookieOf } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

/** The seed thread's sequences, replayed over HTTP against a real SQLite file. */
describe('seed sequences', () => {
  let s: TestServer;
  before(async () => { s = await startTestServer({ preset: 'peer' }); });
  after(async () => { await s.close(); });

  test('login (JSON, no token) → token with the hand-built cookie → authenticated PUT → logout', async () => {
    const login = await call(`${s.url}/rest/user/login`, { method: 'POST', json: { username: 'alice', password: 'alicepass' } });
    assert.equal(login.status, 200);
    assert.equal(login.reason, 'OK');
    assert.match(login.json.sessid, /^[A-Za-z0-9_-]{43}$/);
    assert.match(login.json.session_name, /^SESS[0-9a-f]{32}$/);
    assert.match(login.json.token, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(login.json.user.uid, '2');
    assert.equal(login.json.user.name, 'alice');
    assert.equal(login.json.user.pass, undefined);
    assert.equal(login.setCookies.length, 1);
    assert.match(login.setCookies[0], new RegExp(`^${login.json.session_name}=${login.json.sessid}; expires=[^;]+; Max-Age=2000000; path=/; HttpOnly$`));

    const cookie = cookieOf(login.json);
    const token = await call(`${s.url}/services/session/token`, { headers: { cookie } });
    assert.equal(token.status, 200);
    assert.equal(token.headers.get('content-type'), 'text/plain;charset=UTF-8');
    assert.equal(token.text, login.json.token);

    const noToken = await call(`${s.url}/rest/user/2`, { method: 'PUT', headers: { cookie }, json: { signature: 'x' } });
    assert.equal(noToken.status, 401);
    assert.equal(noToken.reason, 'Unauthorized : CSRF validation failed');
    assert.deepEqual(noToken.json, ['CSRF validation failed']);

    const put = await call(`${s.url}/rest/user/2`, { method: 'PUT', headers: { cookie, 'X-CSRF-Token': token.text }, json: { timezone: 'Europe/Paris' } });
    assert.equal(put.status, 200);
    assert.deepEqual(put.json, { timezone: 'Europe/Paris', uid: '2', roles: { 2: 'authenticated user' } });

    const me = await call(`${s.url}/rest/user/2.json`, { headers: { cookie } });
    assert.equal(me.json.timezone, 'Europe/Paris');

    const logout = await call(`${s.url}/rest/user/logout`, { method: 'POST', headers: { cookie, 'X-CSRF-Token': token.text }, json: {} });
    assert.equal(logout.status, 200);
    assert.deepEqual(logout.json, [true]);
    assert.match(logout.setCookies[0], /=deleted; expires=Thu, 01 Jan 1970 00:00:01 GMT; Max-Age=0; path=\/; HttpOnly$/);

    const again = await call(`${s.url}/rest/user/logout`, { method: 'POST', json: {} });
    assert.equal(again.status, 406);
    assert.equal(again.reason, 'Not Acceptable : User is not logged in.');
  });

  test('the token answered before routing equals the framework route\'s answer byte for byte', async () => {
    const login = await call(`${s.url}/rest/user/login`, { method: 'POST', json: { username: 'bob', password: 'bobpass' } });
    const cookie = cookieOf(login.json);
    const fast = await call(`${s.url}/services/session/token`, { headers: { cookie } });
    const routed = await call(`${s.url}/?q=services/session/token`, { headers: { cookie } });
    const withBody = await call(`${s.url}/services/session/token`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: '{}' });
    for (const r of [routed, withBody]) {
      assert.equal(r.status, 200);
      assert.equal(r.text, fast.text);
      assert.equal(r.text, login.json.token);
      for (const h of ['content-type', 'expires', 'cache-control', 'x-content-type-options']) assert.equal(r.headers.get(h), fast.headers.get(h), h);
    }
    const anonymous = await call(`${s.url}/services/session/token`);
    assert.match(anonymous.text, /^[A-Za-z0-9_-]{43}$/);
    assert.notEqual(anonymous.text, (await call(`${s.url}/services/session/token`)).text, 'a visitor without a cookie gets a throw-away token each time');
  });

  test('login with multipart/form-data and a .json suffix (the thread\'s PHP curl example)', async () => {
    const form = new FormData();
    form.set('username', 'bob');
    form.set('password', 'bobpass');
    const login = await call(`${s.url}/rest/user/login.json`, { method: 'POST', body: form, headers: { 'user-agent': 'PHP curl' } });
    assert.equal(login.status, 200);
    assert.equal(login.headers.get('content-type'), 'application/json');
    assert.equal(login.headers.get('vary'), null);
    assert.equal(login.json.user.name, 'bob');
    const cookie = cookieOf(login.json);
    const token = await call(`${s.url}/services/session/token`, { headers: { cookie } });
    assert.equal(token.text, login.json.token);
  });

  test('register: connect → token → user/register (JSON) answers at once and logs the account in', async () => {
    const connect = await call(`${s.url}/rest/system/connect`, { method: 'POST', json: {} });
    assert.equal(connect.status, 200);
    assert.equal(connect.json.user.uid, 0);
    assert.deepEqual(connect.json.user.roles, { 1: 'anonymous user' });
    assert.equal(connect.setCookies.length, 0);
    const token = await call(`${s.url}/services/session/token`);
    assert.match(token.text, /^[A-Za-z0-9_-]{43}$/);
    const started = Date.now();
    const reg = await call(`${s.url}/rest/user/register`, { method: 'POST', headers: { 'X-CSRF-Token': token.text }, json: { name: 'newbie', mail: 'newbie@example.com', pass: 'secret1' } });
    assert.ok(Date.now() - started < 5000);
    assert.equal(reg.status, 200);
    assert.match(reg.json.uid, /^\d+$/);
    assert.equal(reg.json.uri, `${s.url}/rest/user/${reg.json.uid}`);
    assert.equal(reg.setCookies.length, 1);
    const [pair] = reg.setCookies[0].split(';');
    const me = await call(`${s.url}/rest/system/connect`, { method: 'POST', headers: { cookie: pair, 'X-CSRF-Token': (await call(`${s.url}/services/session/token`, { headers: { cookie: pair } })).text }, json: {} });
    assert.equal(me.json.user.name, 'newbie');
    const mails = await s.mails();
    assert.equal(mails.at(-1)?.id, 'user_register_no_approval_required');
    assert.equal(mails.at(-1)?.to, 'newbie@example.com');
  });

  test('register with multipart (curl array post), {pass1, pass2} and the {"account": …} wrapper; user is a synonym', async () => {
    const form = new FormData();
    form.set('name', 'multi');
    form.set('mail', 'multi@example.com');
    form.set('pass', 'pw');
    const multi = await call(`${s.url}/rest/user`, { method: 'POST', body: form });
    assert.equal(multi.status, 200, multi.text);
    const wrapped = await call(`${s.url}/rest/user/register.json`, { method: 'POST', json: { account: { name: 'wrapped', mail: 'wrapped@example.com', pass: { pass1: 'a', pass2: 'a' } } } });
    assert.equal(wrapped.status, 200, wrapped.text);
    const login = await call(`${s.url}/rest/user/login`, { method: 'POST', json: { username: 'wrapped', password: 'a' } });
    assert.equal(login.status, 200);
  });

  test('register errors: duplicate name is a 406 with form_errors', async () => {
    const dup = await call(`${s.url}/rest/user/register`, { method: 'POST', json: { name: 'ALICE', mail: 'other@example.com', pass: 'x' } });
    assert.equal(dup.status, 406);
    assert.equal(dup.reason, 'Not Acceptable : The name ALICE is already taken.');
    assert.deepEqual(dup.json, { form_errors: { name: 'The name <em class="placeholder">ALICE</em> is already taken.' } });
  });

  test('bad input gets the real site\'s answers, never a 500', async () => {
    const bad = await call(`${s.url}/rest/user/login`, { method: 'POST', body: '{"username":', headers: { 'content-type': 'application/json' } });
    assert.equal(bad.status, 400);
    assert.equal(bad.reason, ': Invalid JSON.');
    assert.deepEqual(bad.json, ['Invalid JSON.']);
    const type = await call(`${s.url}/rest/user/login`, { method: 'POST', body: 'x', headers: { 'content-type': 'text/plain' } });
    assert.equal(type.status, 406);
    assert.equal(type.reason, 'Not Acceptable : Unsupported request content type text/plain');
    const patch = await call(`${s.url}/rest/user/1`, { method: 'PATCH', json: {} });
    assert.equal(patch.status, 404);
    assert.equal(patch.text, '');
  });
});
