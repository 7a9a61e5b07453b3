import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { call } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const LIMITS = { user_failed_login_ip_limit: 3, user_failed_login_user_limit: 50 };
const failFrom = (s: TestServer, headers: Record<string, string>) =>
  call(`${s.url}/rest/user/login`, { method: 'POST', headers, json: { username: 'bob', password: 'wrong' } });

describe('behind a trusted reverse proxy (GATEHOUSE_TRUSTED_PROXIES=127.0.0.1)', () => {
  let s: TestServer;
  before(async () => { s = await startTestServer({ config: { trustedProxies: ['127.0.0.1'] }, settings: LIMITS }); });
  after(async () => { await s.close(); });

  test('X-Forwarded-For decides the address flood control counts', async () => {
    for (let i = 0; i < 3; i++) assert.equal((await failFrom(s, { 'X-Forwarded-For': '203.0.113.7' })).reason, 'Unauthorized : Wrong username or password.');
    const blocked = await failFrom(s, { 'X-Forwarded-For': '203.0.113.7' });
    assert.match(blocked.reason, /This IP address is temporarily blocked\./);
    const other = await failFrom(s, { 'X-Forwarded-For': '203.0.113.8' });
    assert.equal(other.reason, 'Unauthorized : Wrong username or password.', 'another client behind the same proxy is not blocked');
    const chain = await failFrom(s, { 'X-Forwarded-For': '203.0.113.7, 127.0.0.1' });
    assert.match(chain.reason, /temporarily blocked/, 'the first untrusted hop from the right is the client');
  });

  test('X-Forwarded-Proto: https gives the SSESS cookie, marked secure', async () => {
    const login = await call(`${s.url}/rest/user/login`, { method: 'POST', headers: { 'X-Forwarded-Proto': 'https', 'X-Forwarded-For': '198.51.100.1' }, json: { username: 'alice', password: 'alicepass' } });
    assert.equal(login.status, 200);
    assert.match(login.json.session_name, /^SSESS[0-9a-f]{32}$/);
    assert.match(login.setCookies[0], /^SSESS[0-9a-f]{32}=[^;]+; expires=[^;]+; Max-Age=\d+; path=\/; secure; HttpOnly$/);
    const plain = await call(`${s.url}/rest/user/login`, { method: 'POST', headers: { 'X-Forwarded-For': '198.51.100.1' }, json: { username: 'alice', password: 'alicepass' } });
    assert.match(plain.json.session_name, /^SESS[0-9a-f]{32}$/);
    assert.doesNotMatch(plain.setCookies[0], /secure/);
  });
});

describe('a peer that is not a trusted proxy', () => {
  let s: TestServer;
  before(async () => { s = await startTestServer({ config: { trustedProxies: ['10.9.9.9'] }, settings: LIMITS }); });
  after(async () => { await s.close(); });

  test('its X-Forwarded-Proto is ignored: a plain SESS cookie, not secure', async () => {
    const login = await call(`${s.url}/rest/user/login`, { method: 'POST', headers: { 'X-Forwarded-Proto': 'https' }, json: { username: 'alice', password: 'alicepass' } });
    assert.equal(login.status, 200);
    assert.match(login.json.session_name, /^SESS[0-9a-f]{32}$/);
    assert.doesNotMatch(login.setCookies[0], /secure/);
  });
  test('its X-Forwarded-For is ignored: the connection address is counted', async () => {
    for (let i = 0; i < 3; i++) await failFrom(s, { 'X-Forwarded-For': `203.0.113.${i + 20}` });
    const blocked = await failFrom(s, { 'X-Forwarded-For': '203.0.113.99' });
    assert.match(blocked.reason, /This IP address is temporarily blocked\./);
  });

});
