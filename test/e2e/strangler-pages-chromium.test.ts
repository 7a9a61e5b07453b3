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
import { useStranglerRig } from '../strangler/strangler-server.js';
import { checkPage, launchChromium, logInOnPage, skip } from './chromium.js';

describe('strangler console page in Chromium', { skip }, () => {
  // The browser talks to 127.0.0.1, where site B's cookie domain (.example.test) would not be stored: the
  // cookie takes the host's domain here (the pages are what is tested, not sharing the cookie with Drupal).
  const rig = useStranglerRig('wbchromium', {}, { webPages: ['account', 'console'], cookieDomain: null });
  let browser: Browser;
  const shots = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-strangler-screenshots-'));
  before(async () => {
    browser = await launchChromium();
    console.log(`strangler page screenshots: ${shots}`);
  });
  after(async () => { await browser?.close(); });

  it('a waiting write shown, then delivered with the button', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await logInOnPage(page, rig.gate.url, 'admin', 'B-admin-2013!');
    await rig.legacy.db.query('RENAME TABLE sessions TO sessions_away');
    try {
      const login = await call(`${rig.gate.url}/api/user/login`, { method: 'POST', json: { username: 'alice', password: 'alicepass' } });
      assert.equal(login.status, 200, login.text);
      await page.goto(`${rig.gate.url}/admin/strangler`);
      assert.match(await page.locator('table').innerText(), /session\.save\s+2\s+waiting/);
      await checkPage(page, shots, '16-write-backs', '#deliver-now-submit');
    } finally {
      await rig.legacy.db.query('RENAME TABLE sessions_away TO sessions');
    }
    await page.getByRole('button', { name: 'Deliver the waiting writes now' }).click();
    assert.match(await page.locator('[role=status]').innerText(), /Every waiting write has been delivered\./);
    assert.equal(await page.getByRole('button', { name: 'Deliver the waiting writes now' }).count(), 0);
    await context.close();
  });
});
