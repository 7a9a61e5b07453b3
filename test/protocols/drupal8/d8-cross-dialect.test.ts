import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { call, cookieOf } from '../../helpers/http.js';
import { startTestServer, type TestServer } from '../../helpers/test-server.js';
import { d8Login, d8Patch } from './d8-client.js';

/** One store, one session: what one dialect starts, the other uses and ends. */
describe('Services 3.x and Drupal 8+ over the same sessions', () => {
  let s: TestServer;
  before(async () => { s = await startTestServer({ preset: 'peer' }); });
  after(async () => { await s.close(); });

  const servicesLogin = async (username: string, password: string) => {
    const r = await call(`${s.url}/rest/user/login.json`, { method: 'POST', json: { username, password } });
    assert.equal(r.status, 200);
    return r.json as { sessid: string; session_name: string; token: string; user: { uid: string } };
  };

  test('log in with Services, PATCH with Drupal 8 using /session/token of that session', async () => {
    const login = await servicesLogin('alice', 'alicepass');
    const cookie = cookieOf(login);
    const token = await call(`${s.url}/session/token`, { headers: { cookie } });
    assert.equal(token.status, 200);
    // The Drupal 7 token (Services) and the Drupal 8 token are different values of the same session.
    assert.notEqual(token.text, login.token);
    const again = await call(`${s.url}/session/token`, { headers: { cookie } });
    assert.equal(again.text, token.text, 'the seed is kept in the session');
    const withD7Token = await d8Patch(s.url, login.user.uid, { cookie, csrf: login.token }, { timezone: [{ value: 'Europe/Paris' }] });
    assert.equal(withD7Token.status, 403);
    assert.equal(withD7Token.json.message, 'X-CSRF-Token request header is invalid');
    const patched = await d8Patch(s.url, login.user.uid, { cookie, csrf: token.text }, { timezone: [{ value: 'Europe/Paris' }] });
    assert.equal(patched.status, 200, patched.text);
    assert.deepEqual(patched.json.timezone, [{ value: 'Europe/Paris' }]);
    const seen = await call(`${s.url}/rest/user/${login.user.uid}.json`, { headers: { cookie } });
    assert.equal(seen.json.timezone, 'Europe/Paris');
    // The Services token still works for Services in the same session.
    const services = await call(`${s.url}/rest/user/${login.user.uid}.json`, { method: 'PUT', headers: { cookie, 'X-CSRF-Token': login.token }, json: { timezone: 'UTC' } });
    assert.equal(services.status, 200, services.text);
  });

  test('log in with Drupal 8, GET /services/session/token and update through Services', async () => {
    const d8 = await d8Login(s.url, 'bob', 'bobpass');
    const token = await call(`${s.url}/services/session/token`, { headers: { cookie: d8.cookie } });
    assert.equal(token.status, 200);
    assert.notEqual(token.text, d8.csrf);
    const uid = d8.login.json.current_user.uid;
    const put = await call(`${s.url}/rest/user/${uid}.json`, { method: 'PUT', headers: { cookie: d8.cookie, 'X-CSRF-Token': token.text }, json: { timezone: 'Asia/Tokyo' } });
    assert.equal(put.status, 200, put.text);
    const d8Token = await call(`${s.url}/rest/user/${uid}.json`, { method: 'PUT', headers: { cookie: d8.cookie, 'X-CSRF-Token': d8.csrf }, json: { timezone: 'UTC' } });
    assert.equal(d8Token.status, 401, 'the Drupal 8 token is not a Services token');
    const got = await call(`${s.url}/user/${uid}?_format=json`, { headers: { cookie: d8.cookie } });
    assert.deepEqual(got.json.timezone, [{ value: 'Asia/Tokyo' }]);
  });

  test('logout through Drupal 8 ends the session Services uses, and logout through Services the one Drupal 8 uses', async () => {
    const d8 = await d8Login(s.url, 'alice', 'alicepass');
    const servicesToken = (await call(`${s.url}/services/session/token`, { headers: { cookie: d8.cookie } })).text;
    const connect = () => call(`${s.url}/rest/system/connect.json`, { method: 'POST', headers: { cookie: d8.cookie, 'X-CSRF-Token': servicesToken } });
    assert.equal(String((await connect()).json.user.uid), d8.login.json.current_user.uid);
    const d8Logout = await call(`${s.url}/user/logout?_format=json&token=${d8.logout}`, { method: 'POST', headers: { cookie: d8.cookie } });
    assert.equal(d8Logout.status, 204);
    assert.equal((await connect()).json.user.uid, 0);

    const login = await servicesLogin('bob', 'bobpass');
    const cookie = cookieOf(login);
    assert.equal((await call(`${s.url}/user/login_status?_format=json`, { headers: { cookie } })).text, '1');
    const out = await call(`${s.url}/rest/user/logout.json`, { method: 'POST', headers: { cookie, 'X-CSRF-Token': login.token }, json: {} });
    assert.equal(out.status, 200, out.text);
    assert.equal((await call(`${s.url}/user/login_status?_format=json`, { headers: { cookie } })).text, '0');
  });
});
