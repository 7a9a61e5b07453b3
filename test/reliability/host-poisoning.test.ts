// Reset links and every absolute URL never take a forged Host: untrusted hosts are refused (400) before any
// mail is queued; trusted ones (patterns, base URL, the listening host) build the links.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AccountAdmin } from '../../src/core/accounts/account-admin.js';
import { loadConfig } from '../../src/config/load-config.js';
import { UNTRUSTED_HOST_MESSAGE } from '../../src/protocols/trusted-host.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { request } from './raw.js';

const askReset = (t: TestServer, host?: string) => request(`${t.url}/rest/user/request_new_password.json`, { host, body: JSON.stringify({ name: 'alice' }) });
const lastLink = async (t: TestServer) => /(https?:\/\/[^/\s]+)\/user\/reset\//.exec((await t.mails()).at(-1)?.body ?? '')?.[1];

describe('no base URL, no trusted hosts: only the listening host and localhost', () => {
  let t: TestServer;
  before(async () => { t = await startTestServer({ preset: 'empty' }); await register(t); });
  after(() => t.close());

  it('refuses a forged Host with 400 and queues no mail', async () => {
    const before = (await t.mails()).length;
    for (const host of ['evil.example', `evil.example:${t.port}`, 'localhost:1', `127.0.0.1.evil.example:${t.port}`, 'a b']) {
      const r = await askReset(t, host);
      assert.equal(r.status, 400, host);
      assert.equal(r.text, UNTRUSTED_HOST_MESSAGE);
    }
    assert.equal((await t.mails()).length, before);
  });

  it('answers the listening host and localhost, and the link carries that host', async () => {
    for (const host of [`127.0.0.1:${t.port}`, `localhost:${t.port}`, `LOCALHOST:${t.port}`]) {
      assert.equal((await askReset(t, host)).status, 200, host);
      assert.equal(await lastLink(t), `http://${host.toLowerCase()}`);
    }
  });

  it('keeps /healthz answering probes sent by address', async () => {
    assert.equal((await request(`${t.url}/healthz`, { host: '10.1.2.3:9' })).status, 200);
  });

  it('refuses a forged Host on the fast session-token path too', async () => {
    assert.equal((await request(`${t.url}/services/session/token`, { host: 'evil.example' })).status, 400);
  });
});

describe('trusted host patterns', () => {
  let t: TestServer;
  before(async () => { t = await startTestServer({ preset: 'empty', config: { trustedHosts: ['^www\\.example\\.com$', '^.+\\.example\\.org$'] } }); await register(t); });
  after(() => t.close());

  it('answers matching hosts, with links to them, and refuses the rest', async () => {
    assert.equal((await askReset(t, 'www.example.com')).status, 200);
    assert.equal(await lastLink(t), 'http://www.example.com');
    assert.equal((await askReset(t, `app.example.org:${t.port}`)).status, 200);
    assert.equal(await lastLink(t), `http://app.example.org:${t.port}`);
    for (const host of ['example.com', 'www.example.com.evil', `127.0.0.1:${t.port}`]) assert.equal((await askReset(t, host)).status, 400, host);
  });
});

describe('a base URL', () => {
  it('builds every link from it whatever the Host (compat), and the hardened profile answers only its host', async () => {
    const t = await startTestServer({ preset: 'empty', config: { baseUrl: 'https://accounts.example.net' } });
    try {
      await register(t);
      assert.equal((await askReset(t, 'evil.example')).status, 200);
      assert.equal(await lastLink(t), 'https://accounts.example.net');
    } finally { await t.close(); }
    const h = await startTestServer({ preset: 'empty', config: { baseUrl: 'https://accounts.example.net', security: 'hardened' } });
    try {
      assert.equal((await askReset(h, 'evil.example')).status, 400);
      assert.equal((await request(`${h.url}/healthz`, { host: 'accounts.example.net' })).status, 200);
    } finally { await h.close(); }
  });

  it('the hardened profile refuses to start with neither trusted hosts nor a base URL', () => {
    assert.throws(() => loadConfig({ env: {}, overrides: { security: 'hardened' } }), /needs trustedHosts/);
  });
});

async function register(t: TestServer): Promise<void> {
  await new AccountAdmin(t.server.core).add({ name: 'alice', mail: 'alice@example.com', password: 'secret-pass', roles: [], status: 1 });
}
