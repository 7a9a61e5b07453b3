// The one-time link's lifetime as Drupal 7 has it (24 h once the account has logged in, single use,
// invalid after any later login), seen through the HTML page and through Services, and the page's own CSRF
// protection (a form token tied to a cookie nonce and to the link, valid 15 minutes).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { GatehouseClientError } from '../../src/client/errors.js';
import { createNodeClient } from '../../src/client/node.js';
import { parseResetLink } from '../../src/client/url.js';
import { FormBrowser, formTokenIn } from './form-browser.js';
import { type MailHttpServer, resetLinkIn, startMailHttpServer } from './mail-http-server.js';

let s: MailHttpServer;
before(async () => { s = await startMailHttpServer(); });
after(async () => { await s.close(); });

/** Asks for a link for `name` and returns it, from the mail the SMTP server got. */
async function linkFor(name: string): Promise<string> {
  const before = s.smtp.received.length;
  assert.equal(await createNodeClient({ baseUrl: s.url }).requestNewPassword(name), true);
  const all = await s.received(before + 1);
  return resetLinkIn(all[before].text);
}

async function servicesRefuses(link: string, message: RegExp): Promise<void> {
  await assert.rejects(createNodeClient({ baseUrl: s.url }).userPassReset(parseResetLink(link)!), (e: unknown) => {
    assert.ok(e instanceof GatehouseClientError);
    assert.equal(e.status, 406);
    assert.match(JSON.stringify(e.body), message);
    return true;
  });
}

const EXPIRED = /expired/;
const USED = /either been used or is no longer valid/;

describe('one-time link lifetime', () => {
  it('expires 24 h after it was issued (for an account that has logged in)', async () => {
    await createNodeClient({ baseUrl: s.url }).login('admin', 'admin');
    s.clock.advance(1);
    const link = await linkFor('admin');
    s.clock.advance(86_400);
    assert.equal((await new FormBrowser().get(link)).status, 200, 'still valid at exactly 24 h');
    s.clock.advance(1);
    const page = await new FormBrowser().get(link);
    assert.equal(page.status, 403);
    assert.match(page.html, /You have tried to use a one-time login link that has expired\. Please request a new one\./);
    await servicesRefuses(link, EXPIRED);
  });

  it('works once: after the page used it, neither the page nor Services accept it', async () => {
    const link = await linkFor('alice');
    const b = new FormBrowser();
    const form = await b.get(link);
    assert.equal((await b.post(link, { form_token: formTokenIn(form.html), pass1: 'once-1', pass2: 'once-1' })).status, 200);
    s.clock.advance(1);
    const again = await new FormBrowser().get(link);
    assert.equal(again.status, 403);
    assert.match(again.html, USED);
    await servicesRefuses(link, USED);
  });

  it('is invalid after the account logs in another way', async () => {
    s.clock.advance(1);
    const link = await linkFor('bob');
    assert.equal((await new FormBrowser().get(link)).status, 200, 'looking at the page does not use the link');
    s.clock.advance(1);
    await createNodeClient({ baseUrl: s.url }).login('bob', 'bobpass');
    const page = await new FormBrowser().get(link);
    assert.equal(page.status, 403);
    assert.match(page.html, USED);
    await servicesRefuses(link, USED);
  });
});

describe('reset page CSRF protection', () => {
  it('refuses a post without the cookie, with another form\'s token, or with a forged or stale token; the link survives', async () => {
    s.clock.advance(10);
    const link = await linkFor('admin@example.com');
    const b = new FormBrowser();
    const token = formTokenIn((await b.get(link)).html);

    // A cross-site post: the attacker has a token from their own visit but not this browser's cookie.
    const noCookie = await new FormBrowser().post(link, { form_token: token, pass1: 'x-1', pass2: 'x-1' });
    assert.equal(noCookie.status, 403);
    assert.match(noCookie.html, /could not be verified/);
    const other = new FormBrowser();
    const otherToken = formTokenIn((await other.get(link)).html);
    assert.equal((await b.post(link, { form_token: otherToken, pass1: 'x-1', pass2: 'x-1' })).status, 403, 'token of another browser');
    const [t, sig] = token.split('.');
    assert.equal((await b.post(link, { form_token: `${Number(t) + 1000}.${sig}`, pass1: 'x-1', pass2: 'x-1' })).status, 403, 'altered time');
    assert.equal((await b.post(link, { pass1: 'x-1', pass2: 'x-1' })).status, 403, 'no token');
    s.clock.advance(901);
    const stale = await b.post(link, { form_token: token, pass1: 'x-1', pass2: 'x-1' });
    assert.equal(stale.status, 403);
    assert.match(stale.html, /This form has expired/);

    // Mismatched passwords: the form again, with the error, and the link still unused.
    const fresh = await b.get(link);
    const mismatch = await b.post(link, { form_token: formTokenIn(fresh.html), pass1: 'x-1', pass2: 'x-2' });
    assert.equal(mismatch.status, 400);
    assert.match(mismatch.html, /The specified passwords do not match\./);
    const ok = await b.post(link, { form_token: formTokenIn(mismatch.html), pass1: 'admin-new', pass2: 'admin-new' });
    assert.equal(ok.status, 200, ok.html);
    assert.equal((await createNodeClient({ baseUrl: s.url }).login('admin', 'admin-new')).user.name, 'admin');
  });

  it('refuses a browser logged in as someone else', async () => {
    s.clock.advance(10);
    const link = await linkFor('bob');
    const b = new FormBrowser();
    const login = await fetch(`${s.url}/rest/user/login.json`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'alice', password: 'once-1' }) });
    for (const c of login.headers.getSetCookie()) await b.jar.setCookie(c, s.url);
    const page = await b.get(link);
    assert.equal(page.status, 403);
    assert.match(page.html, /Another user \(<em class="placeholder">alice<\/em>\) is already logged into the site on this computer/);
  });
});
