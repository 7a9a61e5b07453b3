import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { call, cookieOf } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { PEER_CONFIG } from '../fixtures/peer-site.js';

const ANONYMOUS = { uid: 0, hostname: '127.0.0.1', roles: { 1: 'anonymous user' }, cache: 0 };

async function logoutWith(s: TestServer, login: { session_name: string; sessid: string; token: string }, headers: Record<string, string> = {}) {
  return call(`${s.url}/rest/user/logout.json`, { method: 'POST', headers: { cookie: cookieOf(login), 'X-CSRF-Token': login.token, ...headers }, json: {} });
}

/** Resource API version 1.1 of user login/logout: by request header on a 1.0 endpoint. */
describe('login/logout API 1.1 chosen by header (endpoint at 1.0)', () => {
  let s: TestServer;
  before(async () => { s = await startTestServer({ preset: 'peer' }); });
  after(async () => { await s.close(); });

  test('1.0 by default: username/password; name/pass are missing arguments', async () => {
    const wrongNames = await call(`${s.url}/rest/user/login.json`, { method: 'POST', json: { name: 'alice', pass: 'alicepass' } });
    assert.equal(wrongNames.status, 401);
    assert.equal(wrongNames.reason, 'Unauthorized : Missing required argument username');
    const ok = await call(`${s.url}/rest/user/login.json`, { method: 'POST', json: { username: 'alice', password: 'alicepass' } });
    assert.equal(ok.status, 200);
    const out = await logoutWith(s, ok.json);
    assert.deepEqual(out.json, [true]);
  });

  test('Services-User-Login-Version: 1.1 takes name/pass; Services-User-Logout-Version: 1.1 answers the anonymous user', async () => {
    const v11 = { 'Services-User-Login-Version': '1.1' };
    const old = await call(`${s.url}/rest/user/login.json`, { method: 'POST', headers: v11, json: { username: 'alice', password: 'alicepass' } });
    assert.equal(old.reason, 'Unauthorized : Missing required argument name');
    const noPass = await call(`${s.url}/rest/user/login.json`, { method: 'POST', headers: v11, json: { name: 'alice' } });
    assert.equal(noPass.reason, 'Unauthorized : Missing required argument pass');
    const login = await call(`${s.url}/rest/user/login.json`, { method: 'POST', headers: v11, json: { name: 'alice', pass: 'alicepass' } });
    assert.equal(login.status, 200);
    assert.equal(login.json.user.name, 'alice');
    assert.match(login.json.token, /^[A-Za-z0-9_-]{43}$/);
    const out = await logoutWith(s, login.json, { 'Services-User-Logout-Version': '1.1' });
    assert.equal(out.status, 200);
    assert.deepEqual(out.json, ANONYMOUS);
    assert.match(out.setCookies[0], /=deleted;/);
    // The login header does not version logout.
    const again = await call(`${s.url}/rest/user/login.json`, { method: 'POST', json: { username: 'alice', password: 'alicepass' } });
    const plain = await logoutWith(s, again.json, v11);
    assert.deepEqual(plain.json, [true]);
  });

  test('1.1 login reads form and XML bodies too', async () => {
    const form = await call(`${s.url}/rest/user/login.json`, { method: 'POST', headers: { 'Services-User-Login-Version': '1.1', 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'name=bob&pass=bobpass' });
    assert.equal(form.status, 200);
    const xml = await call(`${s.url}/rest/user/login.xml`, { method: 'POST', headers: { 'Services-User-Login-Version': '1.1', 'Content-Type': 'application/xml' }, body: '<data><name>bob</name><pass>bobpass</pass></data>' });
    assert.equal(xml.status, 200);
    assert.match(xml.text, /<user><uid>3<\/uid><name>bob<\/name>/);
  });
});

describe('login/logout API 1.1 set on the endpoint (loginApiVersion)', () => {
  let s: TestServer;
  before(async () => {
    const endpoints = PEER_CONFIG.endpoints.map((e) => (e.name === 'rest' ? { ...e, loginApiVersion: '1.1' as const } : e));
    s = await startTestServer({ preset: 'peer', config: { endpoints } });
  });
  after(async () => { await s.close(); });

  test('name/pass and the anonymous user object without any header; header 1.0 forces the old names and [true]', async () => {
    const old = await call(`${s.url}/rest/user/login.json`, { method: 'POST', json: { username: 'bob', password: 'bobpass' } });
    assert.equal(old.reason, 'Unauthorized : Missing required argument name');
    const login = await call(`${s.url}/rest/user/login.json`, { method: 'POST', json: { name: 'bob', pass: 'bobpass' } });
    assert.equal(login.status, 200);
    const out = await logoutWith(s, login.json);
    assert.deepEqual(out.json, ANONYMOUS);

    const forced = await call(`${s.url}/rest/user/login.json`, { method: 'POST', headers: { 'Services-User-Login-Version': '1.0' }, json: { username: 'bob', password: 'bobpass' } });
    assert.equal(forced.status, 200);
    const forcedOut = await logoutWith(s, forced.json, { 'Services-User-Logout-Version': '1.0' });
    assert.deepEqual(forcedOut.json, [true]);
  });

  test('the other endpoint keeps 1.0', async () => {
    const r = await call(`${s.url}/restdefault/user/login.json`, { method: 'POST', json: { username: 'bob', password: 'bobpass' } });
    assert.equal(r.status, 200);
  });
});
