import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config/load-config.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { raw } from './wire.js';

const APP = 'https://app.example.com';
const HYBRID = 'capacitor://localhost';

const preflight = (s: TestServer, path: string, origin: string, method = 'POST') =>
  raw(s, 'OPTIONS', path, [['Origin', origin], ['Access-Control-Request-Method', method], ['Access-Control-Request-Headers', 'content-type,x-csrf-token']]);

describe('CORS off (the default): the real site sends no CORS headers', () => {
  let s: TestServer;
  before(async () => { s = await startTestServer({ preset: 'peer' }); });
  after(async () => { await s.close(); });

  test('no Access-Control-* header anywhere; a preflight is Services\' own OPTIONS answer', async () => {
    const login = await raw(s, 'POST', '/rest/user/login.json', [['Origin', APP], ['Content-Type', 'application/json']], '{"username":"bob","password":"bobpass"}');
    assert.equal(login.status, 200);
    assert.equal(login.headers.filter(([k]) => /^access-control-/i.test(k)).length, 0);
    assert.equal(login.header('vary'), null);
    const pre = await preflight(s, '/rest/user/login', APP);
    assert.equal(pre.status, 200);
    assert.equal(pre.header('access-control-allow-origin'), null);
  });
});

describe('CORS on: allow-list, credentials, preflight on every route', () => {
  let s: TestServer;
  before(async () => { s = await startTestServer({ preset: 'peer', config: { cors: { origins: [APP, HYBRID], credentials: true }, bodyLimit: 2048 } }); });
  after(async () => { await s.close(); });

  test('a preflight from an allowed origin is answered 204 on every route, X-CSRF-Token allowed', async () => {
    for (const path of ['/rest/user/login', '/rest/user/2.json', '/rest/nosuch', '/rest', '/services/session/token', '/?q=rest/user/login.json', '/healthz', '/no/such/page']) {
      for (const origin of [APP, HYBRID]) {
        const r = await preflight(s, path, origin, path.includes('2.json') ? 'PUT' : 'POST');
        assert.equal(r.status, 204, `${path} ${origin}`);
        assert.equal(r.header('access-control-allow-origin'), origin);
        assert.equal(r.header('access-control-allow-credentials'), 'true');
        assert.match(r.header('access-control-allow-methods') ?? '', /\bPUT\b.*\bDELETE\b/);
        assert.match(r.header('access-control-allow-headers') ?? '', /\bX-CSRF-Token\b/);
        assert.match(r.header('access-control-allow-headers') ?? '', /\bContent-Type\b/);
        assert.match(r.header('vary') ?? '', /\bOrigin\b/);
        assert.equal(r.body, '');
      }
    }
  });

  test('a logged-in browser app: login, token and an authenticated PUT carry the CORS headers, errors too', async () => {
    const headers: Array<[string, string]> = [['Origin', APP], ['Content-Type', 'application/json']];
    const login = await raw(s, 'POST', '/rest/user/login', headers, '{"username":"alice","password":"alicepass"}');
    assert.equal(login.status, 200);
    assert.equal(login.header('access-control-allow-origin'), APP);
    assert.equal(login.header('access-control-allow-credentials'), 'true');
    assert.equal(login.header('vary'), 'Origin, Accept');
    assert.equal(login.setCookies.length, 1);
    const cookie = login.setCookies[0].split(';')[0];
    const token = await raw(s, 'GET', '/services/session/token', [['Origin', APP], ['Cookie', cookie]]);
    assert.equal(token.header('access-control-allow-origin'), APP);
    const put = await raw(s, 'PUT', '/rest/user/2.json', [...headers, ['Cookie', cookie], ['X-CSRF-Token', token.body]], '{"timezone":"Europe/Paris"}');
    assert.equal(put.status, 200);
    assert.equal(put.header('access-control-allow-origin'), APP);
    const csrf = await raw(s, 'PUT', '/rest/user/2.json', [...headers, ['Cookie', cookie]], '{}');
    assert.equal(csrf.status, 401);
    assert.equal(csrf.header('access-control-allow-origin'), APP);
    const missing = await raw(s, 'GET', '/rest/nosuch', [['Origin', APP]]);
    assert.equal(missing.status, 404);
    assert.equal(missing.header('access-control-allow-origin'), APP);
    const tooLarge = await raw(s, 'POST', '/rest/user/login.json', headers, JSON.stringify({ username: 'x'.repeat(3000) }));
    assert.equal(tooLarge.status, 413);
    assert.equal(tooLarge.header('access-control-allow-origin'), APP);
  });

  test('a foreign origin gets no CORS headers, and its preflight is Services\' OPTIONS answer', async () => {
    const r = await raw(s, 'POST', '/rest/system/connect.json', [['Origin', 'https://evil.example.net'], ['Content-Type', 'application/json']], '{}');
    assert.equal(r.status, 200);
    assert.equal(r.header('access-control-allow-origin'), null);
    assert.equal(r.header('access-control-allow-credentials'), null);
    const pre = await preflight(s, '/rest/user/login', 'https://app.example.com.evil.net');
    assert.equal(pre.status, 200);
    assert.equal(pre.header('access-control-allow-origin'), null);
  });

  test('an OPTIONS that is not a preflight still reaches Services, with the CORS headers', async () => {
    const r = await raw(s, 'OPTIONS', '/rest/user/login', [['Origin', APP]]);
    assert.equal(r.status, 200);
    assert.equal(r.header('access-control-allow-origin'), APP);
    assert.equal(r.header('expires'), 'Sun, 19 Nov 1978 05:00:00 GMT');
    const plain = await raw(s, 'OPTIONS', '/rest/user/login');
    assert.equal(plain.status, 200);
    assert.equal(plain.header('access-control-allow-origin'), null);
  });
});

describe('CORS configuration', () => {
  test('GATEHOUSE_CORS_ORIGINS and GATEHOUSE_CORS_CREDENTIALS; off by default; bad origins refused', () => {
    assert.deepEqual(loadConfig({ env: {} }).cors, { origins: [], credentials: true });
    const c = loadConfig({ env: { GATEHOUSE_CORS_ORIGINS: `${APP}, ${HYBRID} ,null`, GATEHOUSE_CORS_CREDENTIALS: 'false' } });
    assert.deepEqual(c.cors, { origins: [APP, HYBRID, 'null'], credentials: false });
    assert.throws(() => loadConfig({ env: { GATEHOUSE_CORS_ORIGINS: 'https://app.example.com/path' } }), (e: unknown) => e instanceof ConfigError && /GATEHOUSE_CORS_ORIGINS/.test(e.message));
  });
});
