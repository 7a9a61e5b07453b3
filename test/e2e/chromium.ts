/**
 * Debian's Chromium for the browser tests (playwright-core, never a downloaded browser): whether it is here
 * (a missing one skips the tests, except on CI where it fails them), how it is launched, and the per-page
 * accessibility check with its screenshot.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
const haveChromium = fs.existsSync(CHROMIUM);
if (!haveChromium && process.env.CI === 'true') throw new Error(`${CHROMIUM} is missing on CI (.ci/run installs it with apt-get install -y chromium)`);
/** The `skip` option of a browser suite. */
export const skip = haveChromium ? false : `${CHROMIUM} not installed (apt-get install -y chromium); the browser test is skipped`;

/** Chromium headless; each of its contexts waits at most `timeoutMs` (null: playwright's default), so a missing element fails fast. */
export async function launchChromium(o: { timeoutMs?: number | null } = {}): Promise<Browser> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  const timeout = o.timeoutMs === undefined ? 5000 : o.timeoutMs;
  if (timeout === null) return browser;
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options) => { const c = await newContext(options); c.setDefaultTimeout(timeout); return c; };
  return browser;
}

/** Labels, landmarks and keyboard reach of `submitSelector` (null: a page without a form); then a screenshot `<shots>/<name>.png`. */
export async function checkPage(page: Page, shots: string, name: string, submitSelector: string | null): Promise<void> {
  const unlabelled = await page.$$eval('input:not([type=hidden]), select, textarea', (els) => els
    .filter((el) => !(el as HTMLInputElement).labels?.length && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby'))
    .map((el) => el.outerHTML));
  assert.deepEqual(unlabelled, [], `${name}: every control has a label`);
  assert.equal(await page.locator('main h1').count(), 1, `${name}: one h1 inside main`);
  if (submitSelector !== null) {
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    let reached = false;
    for (let i = 0; i < 400 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate((sel) => document.activeElement === document.querySelector(sel), submitSelector);
    }
    assert.ok(reached, `${name}: Tab reaches ${submitSelector}`);
  }
  await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
}

/** Logs in on `/user/login` with the form, as a person would; the account page follows. */
export async function logInOnPage(page: Page, baseUrl: string, name: string, pass: string): Promise<void> {
  await page.goto(`${baseUrl}/user/login`);
  await page.getByLabel('Username').fill(name);
  await page.getByLabel('Password').fill(pass);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(/\/user\/\d+\/edit$/);
}
