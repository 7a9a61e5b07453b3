/**
 * Several endpoints with their own path, resources, operations, formatters and authentication plugins, a
 * user field defined by configuration (no import), and the older `sessionAuth` flag still read.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createFastTestHasher } from '../../src/core/passwords/password-hasher.js';
import { loadConfig } from '../../src/config/load-config.js';
import { createServer } from '../../src/gatehouse.js';
import { call, cookieOf } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

describe('endpoints and authentication plugins', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({
      preset: 'empty',
      settings: { user_register: 1, user_email_verification: false },
      config: {
        endpoints: [
          { name: 'app', path: 'app/v1', formatters: ['json'], parsers: ['application/json'], resources: { user: { operations: ['retrieve', 'register', 'login', 'update'] }, system: true }, authentication: ['session'], loginApiVersion: '1.1', defaultFormat: 'json' },
          { name: 'open', path: 'open', formatters: ['json', 'xml'], parsers: ['application/json'], resources: { system: true, user: { alias: 'member', operations: ['retrieve'] } }, authentication: [], loginApiVersion: '1.0', defaultFormat: 'json' },
          { name: 'legacy', path: 'legacy', formatters: ['json'], parsers: ['application/json'], resources: { system: true }, sessionAuth: false, loginApiVersion: '1.0', defaultFormat: 'json' },
        ],
      },
    });
    await server.server.store.fields.saveDefinition({
      name: 'field_city', type: 'text', label: 'City', cardinality: 1, required: true, onRegister: true, widget: 'text_textfield', weight: 0, settings: { max_length: 20 },
    });
  });
  after(() => server.close());

  it('serves each endpoint with its own resources, aliases, formatters and API versions', async () => {
    const refused = await call(`${server.url}/app/v1/user/register`, { method: 'POST', json: { name: 'ann', mail: 'ann@example.com', pass: 'annpass' } });
    assert.equal(refused.status, 406);
    assert.deepEqual(refused.json, { form_errors: { 'field_city][und][0][value': 'City field is required.' } });
    const reg = await call(`${server.url}/app/v1/user/register`, { method: 'POST', json: { name: 'ann', mail: 'ann@example.com', pass: 'annpass', field_city: { und: [{ value: 'Lyon' }] } } });
    assert.equal(reg.status, 200);
    // Resource API 1.1: login takes name/pass.
    const login = await call(`${server.url}/app/v1/user/login`, { method: 'POST', json: { name: 'ann', pass: 'annpass' } });
    assert.equal(login.status, 200);
    const body = login.json as { session_name: string; sessid: string; user: Record<string, unknown> };
    assert.deepEqual(body.user.field_city, { und: [{ value: 'Lyon', format: null, safe_value: 'Lyon' }] });
    assert.equal((await call(`${server.url}/app/v1/user/1.xml`)).status, 406, 'xml is off on this endpoint');
    assert.equal((await call(`${server.url}/open/user/1`)).status, 404, 'on /open the user resource answers under its alias only');
    assert.equal((await call(`${server.url}/open/member/1`)).status, 403, 'retrieve under the alias (anonymous may not view profiles)');
    assert.equal((await call(`${server.url}/open/member/login`, { method: 'POST', json: { name: 'ann', pass: 'annpass' } })).status, 404, 'login is not enabled on /open');
    // The session plugin: the cookie identifies ann on /app/v1, and an unsafe call needs her token.
    const cookie = cookieOf(body);
    const connect = await call(`${server.url}/app/v1/system/connect`, { method: 'POST', json: {}, headers: { Cookie: cookie } });
    assert.equal(connect.status, 401, 'CSRF rule of the session plugin');
    // No plugin on /open (and sessionAuth: false on /legacy): the same cookie is an anonymous visitor, no CSRF rule.
    for (const path of ['open', 'legacy']) {
      const anon = await call(`${server.url}/${path}/system/connect`, { method: 'POST', json: {}, headers: { Cookie: cookie } });
      assert.equal(anon.status, 200, path);
      assert.equal((anon.json as { user: { uid: unknown } }).user.uid, 0, path);
    }
  });

  it('refuses to start with an unknown authentication plugin', async () => {
    const config = loadConfig({ env: {}, overrides: {
      databaseUrl: 'sqlite::memory:', logLevel: 'silent', mailWorker: false,
      endpoints: [{ name: 'x', path: 'x', formatters: ['json'], parsers: ['application/json'], resources: { system: true }, authentication: ['oauth'], loginApiVersion: '1.0', defaultFormat: 'json' }],
    } });
    await assert.rejects(createServer(config, { hasher: createFastTestHasher(), logger: false }), /unknown authentication "oauth"/);
  });
});
