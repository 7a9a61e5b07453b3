import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { loadConfig } from '../../../src/config/load-config.js';
import { call } from '../../helpers/http.js';
import { startTestServer, type TestServer } from '../../helpers/test-server.js';
import { cookieFrom, d8Patch } from './d8-client.js';

const login = (s: TestServer, name: string, pass: string, path = '') =>
  call(`${s.url}${path}/user/login?_format=json`, { method: 'POST', json: { name, pass } });

describe('Drupal 8+ flood control (always on, 403)', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ preset: 'peer', settings: { services_flood_control_enabled: false, user_failed_login_user_limit: 2, user_failed_login_ip_limit: 5 } });
  });
  after(async () => { await s.close(); });

  test('per account after user_limit failures (checked before the blocked status), then per IP', async () => {
    for (let i = 0; i < 2; i++) assert.equal((await login(s, 'alice', 'wrong')).status, 400);
    const blocked = await login(s, 'alice', 'alicepass');
    assert.equal(blocked.status, 403);
    assert.equal(blocked.json.message, 'Too many failed login attempts from your IP address. This IP address is temporarily blocked.');
    await s.setVariable('user_failed_login_identifier_uid_only', true);
    for (let i = 0; i < 2; i++) await login(s, 'bob', 'wrong');
    const uidOnly = await login(s, 'bob', 'bobpass');
    assert.equal(uidOnly.json.message, 'There have been more than 2 failed login attempts for this account. It is temporarily blocked. Try again later or request a new password.');
    // Refused attempts are not counted: 4 failures so far; a blocked account is refused before counting too.
    assert.equal((await login(s, 'carol', 'whatever')).json.message, 'The user has not been activated or is blocked.');
    assert.equal((await login(s, 'nobody', 'x')).status, 400);
    const ip = await login(s, 'carol', 'whatever');
    assert.equal(ip.status, 403);
    assert.equal(ip.json.message, 'Access is blocked because of IP based flood prevention.');
  });
});

describe('Drupal 8+ configuration: wording version, path prefix, off, strangler forwarding', () => {
  let origin: http.Server;
  let originUrl: string;
  let older: TestServer;
  let prefixed: TestServer;
  let strangler: TestServer;
  before(async () => {
    origin = http.createServer((req, res) => { res.writeHead(200, { 'content-type': 'text/html' }); res.end(`legacy ${req.method} ${req.url}`); });
    await new Promise<void>((r) => origin.listen(0, '127.0.0.1', r));
    originUrl = `http://127.0.0.1:${(origin.address() as AddressInfo).port}`;
    older = await startTestServer({ preset: 'peer', config: { drupal8: { enabled: true, path: '', version: '11.3', registration: 'user_register' } } });
    prefixed = await startTestServer({ preset: 'peer', config: { drupal8: { enabled: true, path: 'd8', version: '11.4', registration: 'user_register' } } });
    strangler = await startTestServer({ preset: 'peer', config: { legacy: { ...loadConfig({ env: {} }).legacy, origin: originUrl } } });
  });
  after(async () => {
    await Promise.all([older.close(), prefixed.close(), strangler.close()]);
    await new Promise<void>((r) => origin.close(() => r()));
  });

  test('11.3 wording of a failed login; its login hands out the `rest` key token, which is accepted beside the header key one', async () => {
    assert.equal((await login(older, 'alice', 'wrong')).json.message, 'Sorry, unrecognized username or password.');
    const ok = await login(older, 'alice', 'alicepass');
    const cookie = cookieFrom(ok);
    const header = (await call(`${older.url}/session/token`, { headers: { cookie } })).text;
    assert.notEqual(ok.json.csrf_token, header);
    for (const csrf of [ok.json.csrf_token, header]) {
      assert.equal((await d8Patch(older.url, ok.json.current_user.uid, { cookie, csrf }, { timezone: [{ value: 'UTC' }] })).status, 200);
    }
  });

  test('a path prefix moves every route; the root paths are then not served', async () => {
    assert.equal((await login(prefixed, 'alice', 'alicepass', '/d8')).status, 200);
    assert.equal((await call(`${prefixed.url}/d8/session/token`)).status, 200);
    assert.equal((await login(prefixed, 'alice', 'alicepass')).status, 404);
  });

  test('without _format, strangler mode forwards the path (the legacy HTML pages); with it Gatehouse answers', async () => {
    const page = await call(`${strangler.url}/user/login`);
    assert.equal(page.text, 'legacy GET /user/login');
    const register = await call(`${strangler.url}/user/register`, { method: 'POST', body: 'name=x' });
    assert.equal(register.text, 'legacy POST /user/register');
    assert.equal((await call(`${strangler.url}/user/2`)).text, 'legacy GET /user/2');
    assert.equal((await login(strangler, 'alice', 'alicepass')).status, 200);
  });

  test('the dialect can be switched off (GATEHOUSE_DRUPAL8=off), and the settings are validated', () => {
    assert.equal(loadConfig({ env: { GATEHOUSE_DRUPAL8: 'off' } }).drupal8.enabled, false);
    assert.equal(loadConfig({ env: { GATEHOUSE_DRUPAL8_VERSION: '11.3', GATEHOUSE_DRUPAL8_PATH: '/d8/' } }).drupal8.path, 'd8');
    assert.throws(() => loadConfig({ env: { GATEHOUSE_DRUPAL8_VERSION: '10' } }), /GATEHOUSE_DRUPAL8_VERSION/);
  });
});

describe('Drupal 8+ switched off', () => {
  let s: TestServer;
  before(async () => { s = await startTestServer({ preset: 'peer', config: { drupal8: { enabled: false, path: '', version: '11.4', registration: 'user_register' } } }); });
  after(async () => { await s.close(); });
  test('its routes are not found; Services still answers', async () => {
    assert.equal((await login(s, 'alice', 'alicepass')).status, 404);
    assert.equal((await call(`${s.url}/session/token`)).status, 404);
    assert.equal((await call(`${s.url}/rest/user/login.json`, { method: 'POST', json: { username: 'alice', password: 'alicepass' } })).status, 200);
  });
});

describe('Drupal 8+ answers what the HTTP layer refuses in its own shape', () => {
  let s: TestServer;
  before(async () => { s = await startTestServer({ preset: 'peer', config: { bodyLimit: 1024 } }); });
  after(async () => { await s.close(); });
  test('a body over the limit is a 413 {"message"}; an unreadable Content-Type a 415', async () => {
    const big = await call(`${s.url}/user/login?_format=json`, { method: 'POST', json: { name: 'x'.repeat(4096), pass: 'y' } });
    assert.equal(big.status, 413);
    assert.deepEqual(big.json, { message: 'Request body is too large.' });
    const odd = await call(`${s.url}/user/login?_format=json`, { method: 'POST', headers: { 'content-type': 'a/b/c' }, body: '{}' });
    assert.equal(odd.status, 415);
    assert.equal(odd.headers.get('content-type'), 'application/json');
    assert.equal(odd.json.message, 'No route found that matches "Content-Type: a/b/c"');
  });
});
