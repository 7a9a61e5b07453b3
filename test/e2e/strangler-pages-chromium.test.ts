/**
 * The strangler console page in a real browser: Gatehouse in front of site B (its MariaDB dump and a stand-in
 * origin), the console moved over. An administrator logs in on the page, sees a write Drupal could not take
 * (its sessions table away) waiting on /admin/strangler, and delivers it with the button once Drupal takes it
 * again. The page gets the accessibility check of the other pages and its screenshot (16-write-backs).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { call } from '../helpers/http.js';
import { type LegacySite, loadLegacySite } from '../strangler/legacy-site.js';
import { type StandIn, startStandInOrigin } from '../strangler/stand-in-origin.js';
import { startStrangler } from '../strangler/strangler-server.js';
import { checkPage, launchChromium, skip } from './chromium.js';

describe('strangler console page in Chromium', { skip }, () => {
  let legacy: LegacySite;
  let origin: StandIn;
  let gate: Awaited<ReturnType<typeof startStrangler>>;
  let browser: Browser;
  const shots = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-strangler-screenshots-'));
  before(async () => {
    legacy = await loadLegacySite('wbchromium');
    origin = await startStandInOrigin(legacy.db);
    // The browser talks to 127.0.0.1, where site B's cookie domain (.example.test) would not be stored: the
    // cookie takes the host's domain here (the pages are what is tested, not sharing the cookie with Drupal).
    gate = await startStrangler({ origin: origin.url, databaseUrl: legacy.url }, { webPages: ['account', 'console'], cookieDomain: null });
    browser = await launchChromium();
    console.log(`strangler page screenshots: ${shots}`);
  });
  after(async () => { await browser?.close(); await gate?.close(); await origin?.close(); await legacy?.drop(); });

  it('a waiting write shown, then delivered with the button', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${gate.url}/user/login`);
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill('B-admin-2013!');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(/\/user\/\d+\/edit$/);
    await legacy.db.query('RENAME TABLE sessions TO sessions_away');
    try {
      const login = await call(`${gate.url}/api/user/login`, { method: 'POST', json: { username: 'alice', password: 'alicepass' } });
      assert.equal(login.status, 200, login.text);
      await page.goto(`${gate.url}/admin/strangler`);
      assert.match(await page.locator('table').innerText(), /session\.save\s+2\s+waiting/);
      await checkPage(page, shots, '16-write-backs', '#deliver-now-submit');
    } finally {
      await legacy.db.query('RENAME TABLE sessions_away TO sessions');
    }
    await page.getByRole('button', { name: 'Deliver the waiting writes now' }).click();
    assert.match(await page.locator('[role=status]').innerText(), /Every waiting write has been delivered\./);
    assert.equal(await page.getByRole('button', { name: 'Deliver the waiting writes now' }).count(), 0);
    await context.close();
  });
});
