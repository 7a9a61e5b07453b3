/**
 * The SDK's browser build in a real browser: Chromium (Debian's, driven by playwright-core) opens a page
 * our server serves (/gatehouse/client-demo, which imports the esbuild bundle /gatehouse/client.js) and the
 * page logs in, fetches the token, updates the account, logs out, registers, checks who it is and logs out
 * again — the browser keeps the session cookie, the SDK the CSRF token. The test checks what the page
 * reports and what the server stored. Without Chromium it is skipped, except on CI (CI=true) where it fails.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchChromium, skip } from './chromium.js';
import { loadConfig } from '../../src/config/load-config.js';
import { AccountAdmin } from '../../src/core/accounts/account-admin.js';
import { createFastTestHasher } from '../../src/core/passwords/password-hasher.js';
import { createServer } from '../../src/gatehouse.js';
import { PEER_ACCOUNTS, PEER_CONFIG } from '../fixtures/peer-site.js';


let server: Awaited<ReturnType<typeof createServer>>;
let browser: Browser;
let url = '';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-chromium-'));

before(async () => {
  if (skip) return;
  const config = loadConfig({
    env: {},
    overrides: {
      host: '127.0.0.1', port: 0, databaseUrl: `sqlite:${path.join(dir, 'db.sqlite')}`, logLevel: 'silent', mailWorker: false,
      endpoints: PEER_CONFIG.endpoints,
      siteDefaults: PEER_CONFIG.siteDefaults,
    },
  });
  server = await createServer(config, { hasher: createFastTestHasher(), logger: false, clientPage: true });
  // Site variables stored in the database win over defaults: open registration without verification.
  for (const [k, v] of Object.entries({ user_register: 1, user_email_verification: false })) await server.store.variables.set(k, v);
  const admin = new AccountAdmin(server.core);
  for (const a of PEER_ACCOUNTS) await admin.add({ name: a.name, mail: `${a.name}@example.com`, password: a.pass, roles: a.roles, status: a.status ?? 1 });
  await server.app.listen({ host: '127.0.0.1', port: 0 });
  const address = server.app.server.address();
  url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  browser = await launchChromium({ timeoutMs: null });
});

after(async () => {
  await browser?.close();
  await server?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

interface PageReport {
  ok: boolean;
  error?: unknown;
  steps: Array<{ label: string; value: any }>;
  requests: string[];
  cookieVisible: string;
}

describe('browser build in Chromium', { skip }, () => {
  it('serves the bundle as an ES module that imports no Node module', async () => {
    const r = await fetch(`${url}/gatehouse/client.js`);
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type') ?? '', /^text\/javascript/);
    const js = await r.text();
    assert.match(js, /export \{[^}]*createBrowserClient/);
    assert.doesNotMatch(js, /from ["']node:|require\(["']/);
  });

  it('login → token → update → logout → register → whoami → logout, cookies kept by the browser', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    const q = new URLSearchParams({ name: 'alice', pass: 'alicepass', timezone: 'Europe/Paris', newName: 'dave', newMail: 'dave@example.com', newPass: 'davepass1' });
    await page.goto(`${url}/gatehouse/client-demo?${q}`);
    await page.waitForSelector('#result[data-done="1"]', { timeout: 20_000 });
    const report = JSON.parse(await page.textContent('#result') ?? '{}') as PageReport;
    assert.deepEqual(pageErrors, []);
    assert.equal(report.ok, true, JSON.stringify(report.error));

    const [login, token, update, logout1, register, whoami, logout2, whoamiAfter] = report.steps;
    assert.deepEqual(report.steps.map((s) => s.label), ['login', 'token', 'update', 'logout', 'register', 'whoami', 'logout', 'whoami']);
    assert.deepEqual([login.value.uid, login.value.name], ['2', 'alice']);
    assert.equal(token.value, login.value.tokenFromLogin, 'the session token is the one the login answer carried');
    assert.equal(update.value.timezone, 'Europe/Paris');
    assert.equal(logout1.value, true);
    assert.match(String(register.value.uid), /^\d+$/);
    assert.deepEqual(whoami.value, { uid: String(register.value.uid), name: 'dave' }, 'register logged the new account in');
    assert.equal(logout2.value, true);
    assert.deepEqual(whoamiAfter.value, { uid: 0 });
    assert.deepEqual(report.requests, [
      'POST /rest/user/login → 200',
      'GET /services/session/token → 200',
      'PUT /rest/user/2 → 200',
      'POST /rest/user/logout → 200',
      'POST /rest/system/connect → 200',
      'GET /services/session/token → 200',
      'POST /rest/user/register → 200',
      'GET /services/session/token → 200',
      'POST /rest/system/connect → 200',
      'POST /rest/user/logout → 200',
      'POST /rest/system/connect → 200',
    ]);
    assert.equal(report.cookieVisible, '', 'the session cookie is HttpOnly: scripts never see it');

    // What the server stored.
    const alice = await server.store.accounts.byUid(2);
    assert.equal(alice?.timezone, 'Europe/Paris');
    const dave = await server.store.accounts.byName('dave', '=');
    assert.equal(dave?.mail, 'dave@example.com');
    assert.equal(dave?.status, 1);
    assert.ok(await server.core.hasher.verify('davepass1', dave!.pass));
    const sessions = await server.database.db.selectFrom('sessions').select(['uid']).execute();
    assert.deepEqual(sessions.filter((s) => s.uid === 2 || s.uid === dave!.uid), [], 'both sessions ended by logout');
    // And what the browser holds: no live session cookie.
    const cookies = await context.cookies(url);
    assert.deepEqual(cookies.filter((c) => /^S?SESS/.test(c.name) && c.value !== 'deleted'), []);
    await context.close();
  });
});
