/**
 * The web pages in a real browser (Debian's Chromium driven by playwright-core), used as a person would:
 * keyboard and mouse on the forms, no scripts of ours. Register, log in, reset a password through the mailed
 * link, edit the account, end a session from another browser, and as administrator search, block, unblock,
 * change a role, unblock a flood event and retry a mail. Each page gets an accessibility check (every control
 * labelled, one h1 in a main landmark, Tab reaches the form's submit button) and a screenshot, saved under
 * the OS temp folder (the path is printed). Without Chromium it is skipped, except on CI where it fails.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { checkPage as checkPageIn, launchChromium, logInOnPage, skip } from './chromium.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { png } from '../helpers/images.js';
import { AccountAdmin } from '../../src/core/accounts/account-admin.js';

let server: TestServer;
let browser: Browser;
const shots = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-web-screenshots-'));

before(async () => {
  if (skip) return;
  server = await startTestServer({ settings: { user_register: 1, user_email_verification: false } });
  browser = await launchChromium();
  console.log(`web page screenshots: ${shots}`);
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** The per-page check of chromium.ts, its screenshot in this run's folder. */
const checkPage = (page: Page, name: string, submit: string | null) => checkPageIn(page, shots, name, submit);

const logIn = (page: Page, name: string, pass: string) => logInOnPage(page, server.url, name, pass);

/** A fresh browser context (its own cookies) on `path`, checked and photographed as `name`. */
async function freshPage(path: string, name: string, submit: string): Promise<{ page: Page; close: () => Promise<void> }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${server.url}${path}`);
  await checkPage(page, name, submit);
  return { page, close: () => context.close() };
}

describe('web pages in Chromium', { skip }, () => {
  it('register, log out, log in by keyboard', async () => {
    const { page, close } = await freshPage('/user/register', '01-register', '#user-register-submit');
    await page.getByLabel('Username').fill('erin');
    await page.getByLabel('E-mail address').fill('erin@example.com');
    await page.locator('#edit-pass1').fill('erin-pass');
    await page.getByLabel('Confirm password').fill('erin-pass');
    await page.getByRole('button', { name: 'Create new account' }).click();
    await page.waitForURL(/\/user\/\d+\/edit$/);
    assert.match(await page.locator('[role=status]').innerText(), /Registration successful/);
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL(/\/user\/login$/);
    await checkPage(page, '02-login', '#user-login-submit');
    await page.getByLabel('Username').focus();
    await page.keyboard.type('erin');
    await page.keyboard.press('Tab');
    await page.keyboard.type('erin-pass');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/user\/\d+\/edit$/);
    await close();
  });

  it('reset a forgotten password through the mailed one-time link', async () => {
    const { page, close } = await freshPage('/user/password', '03-password', '#user-pass-submit');
    await page.getByLabel('Username or e-mail address').fill('alice@example.com');
    await page.getByRole('button', { name: 'E-mail new password' }).click();
    await page.waitForURL(/\/user\/login$/);
    const mail = (await server.mails()).filter((m) => m.to === 'alice@example.com').at(-1)!;
    const link = /http:\/\/\S+\/user\/reset\/\S+/.exec(mail.body)![0];
    await page.goto(link);
    await checkPage(page, '04-reset', '#submit');
    await page.getByLabel('New password', { exact: true }).fill('alice-new');
    await page.getByLabel('Confirm new password').fill('alice-new');
    await page.getByRole('button', { name: 'Set password and log in' }).click();
    assert.match(await page.locator('#done').innerText(), /Your password has been changed/);
    const other = await browser.newContext();
    await logIn(await other.newPage(), 'alice', 'alice-new');
    await other.close();
    await close();
  });

  it('edit the account; end a session of another browser from "my sessions"', async () => {
    const laptop = await browser.newContext({ userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15' });
    const phone = await browser.newContext();
    const page = await laptop.newPage();
    const phonePage = await phone.newPage();
    await logIn(page, 'bob', 'bobpass');
    await logIn(phonePage, 'bob', 'bobpass');
    await checkPage(page, '05-edit', '#user-profile-form-submit');
    await page.getByLabel('Time zone').selectOption('Europe/Berlin');
    await page.getByRole('button', { name: 'Save' }).click();
    assert.match(await page.locator('[role=status]').innerText(), /The changes have been saved/);
    await page.goto(`${server.url}/user/sessions`);
    const listed = await page.locator('table').innerText();
    assert.match(listed, /Safari 17 on macOS/);
    assert.match(listed, /Headless Chrome \d+ on Linux/);
    await checkPage(page, '06-my-sessions', '#revoke-others-submit');
    await page.getByRole('button', { name: /^End session / }).click();
    assert.match(await page.locator('[role=status]').innerText(), /The session has been ended/);
    await phonePage.goto(`${server.url}/user/sessions`);
    assert.match(await phonePage.locator('h1').innerText(), /Access denied/);
    await laptop.close();
    await phone.close();
  });

  it('upload a picture on the account page, see it shown, then delete it', async () => {
    await server.setVariable('user_pictures', 1);
    try {
      await new AccountAdmin(server.server.core).add({ name: 'dora', mail: 'dora@example.com', password: 'dorapass', roles: [], status: 1 });
      const context = await browser.newContext();
      const page = await context.newPage();
      await logIn(page, 'dora', 'dorapass');
      const file = path.join(shots, 'dora.png');
      fs.writeFileSync(file, png(64, 64, [40, 120, 200]));
      await page.getByLabel('Upload picture').setInputFiles(file);
      await page.getByRole('button', { name: 'Save' }).click();
      assert.match(await page.locator('[role=status]').innerText(), /The changes have been saved/);
      const img = page.getByRole('img', { name: "dora's picture" });
      assert.equal(await img.evaluate(async (el) => { const i = el as HTMLImageElement; await i.decode(); return i.naturalWidth; }), 64, 'the browser loaded the picture from its URL');
      await checkPage(page, '15-picture', '#user-profile-form-submit');
      await page.getByLabel('Delete picture').check();
      await page.getByRole('button', { name: 'Save' }).click();
      assert.equal(await page.getByRole('img', { name: "dora's picture" }).count(), 0);
      await context.close();
    } finally {
      await server.server.store.variables.delete('user_pictures');
    }
  });

  it('administrator: search, block, unblock, role change, flood unblock, mail retry', async () => {
    await server.setVariable('user_failed_login_user_limit', 1);
    const visitor = await browser.newContext();
    const vpage = await visitor.newPage();
    await vpage.goto(`${server.url}/user/login`);
    await vpage.getByLabel('Username').fill('bob');
    await vpage.getByLabel('Password').fill('wrong');
    await vpage.getByRole('button', { name: 'Log in' }).click();
    await visitor.close();

    const context = await browser.newContext();
    const page = await context.newPage();
    await logIn(page, 'admin', 'admin');
    // bob's failed login counts against his account (limit 1): unblocked here, before the edits below clear it.
    await page.goto(`${server.url}/admin/people/flood`);
    await checkPage(page, '08-flood', 'button[aria-label^="Unblock failed_login_attempt_user"]');
    await page.getByRole('button', { name: /^Unblock failed_login_attempt_user/ }).click();
    assert.match(await page.locator('[role=status]').innerText(), /Unblocked/);
    assert.equal(await page.getByRole('button', { name: /^Unblock failed_login_attempt_user/ }).count(), 0);
    await server.setVariable('user_failed_login_user_limit', 5);

    await page.goto(`${server.url}/admin/people`);
    await page.getByLabel('Name or e-mail starts with').fill('bo');
    await page.getByRole('button', { name: 'Filter' }).click();
    await checkPage(page, '07-people', '#user-admin-account-submit');
    assert.deepEqual(await page.locator('tbody label').allInnerTexts(), ['bob']);
    await page.getByLabel('Select bob').check();
    await page.getByLabel('Operation').selectOption('block');
    await page.getByRole('button', { name: 'Update' }).click();
    assert.match(await page.locator('tbody').innerText(), /blocked/);
    await page.getByLabel('Select bob').check();
    await page.getByLabel('Operation').selectOption('unblock');
    await page.getByRole('button', { name: 'Update' }).click();
    assert.match(await page.locator('tbody').innerText(), /active/);
    await page.getByLabel('Select bob').check();
    await page.getByLabel('Operation').selectOption({ label: 'Add the administrator role' });
    await page.getByRole('button', { name: 'Update' }).click();
    assert.match(await page.locator('tbody').innerText(), /administrator/);


    const db = server.server.database.db;
    const mail = await db.selectFrom('outbox').select('id').orderBy('id', 'desc').executeTakeFirstOrThrow();
    await db.updateTable('outbox').set({ status: 'dead', attempts: 5, last_error: 'SMTP 550 mailbox unavailable' }).where('id', '=', mail.id).execute();
    await page.goto(`${server.url}/admin/mail`);
    await checkPage(page, '09-mail', `#retry-${mail.id}-submit`);
    await page.locator(`#retry-${mail.id}-submit`).click();
    assert.match(await page.locator('[role=status]').innerText(), /queued to be sent again/);
    assert.equal((await db.selectFrom('outbox').select('status').where('id', '=', mail.id).executeTakeFirstOrThrow()).status, 'pending');

    await page.goto(`${server.url}/admin/people/sessions`);
    await checkPage(page, '10-sessions', '#end-all-sessions-submit');
    await page.goto(`${server.url}/admin/people/create`);
    await checkPage(page, '11-create', '#user-register-admin-submit');

    // Account settings: registration mode changed with the select, as Drupal's page does it.
    await page.goto(`${server.url}/admin/config/people/accounts`);
    await checkPage(page, '12-account-settings', '#user-admin-settings-submit');
    await page.getByLabel('Who can register accounts?').selectOption('2');
    await page.getByRole('button', { name: 'Save configuration' }).click();
    assert.match(await page.locator('[role=status]').innerText(), /configuration options have been saved/);
    assert.equal(await page.getByLabel('Who can register accounts?').inputValue(), '2');
    await server.setVariable('user_register', 1);

    await page.goto(`${server.url}/admin/audit?event=settings_change`);
    await checkPage(page, '13-audit', '#audit-filter-submit');
    assert.match(await page.locator('tbody').innerText(), /settings_change[\s\S]*admin[\s\S]*user_register/);
    await page.goto(`${server.url}/gatehouse/api-docs`);
    assert.ok(await page.locator('table').count() >= 3, 'one table per group of operations');
    await checkPage(page, '14-api-docs', null);
    await context.close();
  });
});
