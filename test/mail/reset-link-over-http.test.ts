// A password reset end to end: request_new_password over HTTP → the outbox worker delivers the mail to a
// real SMTP server (smtp-server) → the link in the mail is followed over HTTP, through the Services
// actions (user_pass_reset + PUT user/{uid}?pass-reset-token=…) and through the HTML page a browser gets,
// to set a new password → logging in with it works, with the old one not.
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

async function rejectsLogin(name: string, pass: string): Promise<void> {
  await assert.rejects(createNodeClient({ baseUrl: s.url }).login(name, pass), (e: unknown) => e instanceof GatehouseClientError && e.status === 401);
}

describe('one-time login link delivered over SMTP', () => {
  it('request_new_password: the mail reaches the account address with its subject and a working link (Services)', async () => {
    const c = createNodeClient({ baseUrl: s.url });
    assert.equal(await c.requestNewPassword('alice'), true);
    const [m] = await s.received(1);
    assert.deepEqual(m.to, ['alice@example.com']);
    assert.equal(m.from, 'site@example.org');
    assert.equal(m.subject, 'Replacement login information for alice at Mail test site');
    const link = resetLinkIn(m.text);
    assert.ok(link.startsWith(`${s.url}/user/reset/2/`), link);

    const reset = await c.userPassReset(parseResetLink(link)!);
    assert.match(reset.pass_reset_token, /^[A-Za-z0-9_-]{43}$/);
    const updated = await c.users.update(2, { pass: 'alice-new-1' }, { passResetToken: reset.pass_reset_token });
    assert.equal(String(updated.uid), '2');
    await c.logout();

    const fresh = createNodeClient({ baseUrl: s.url });
    const login = await fresh.login('alice', 'alice-new-1');
    assert.equal(login.user.name, 'alice');
    await rejectsLogin('alice', 'alicepass');
    // Used once: the same link is refused now.
    await assert.rejects(createNodeClient({ baseUrl: s.url }).userPassReset(parseResetLink(link)!), (e: unknown) => e instanceof GatehouseClientError && e.status === 406);
  });

  it('the HTML page: GET shows a form, POST sets the password and logs the browser in', async () => {
    const c = createNodeClient({ baseUrl: s.url });
    assert.equal(await c.requestNewPassword('bob@example.com'), true);
    const m = (await s.received(2))[1];
    assert.deepEqual(m.to, ['bob@example.com']);
    assert.equal(m.subject, 'Replacement login information for bob at Mail test site');
    const link = resetLinkIn(m.text);

    const browser = new FormBrowser();
    const page = await browser.get(link);
    assert.equal(page.status, 200);
    assert.match(page.html, /This is a one-time login for <em class="placeholder">bob<\/em>/);
    assert.ok(page.setCookies.some((h) => /^gatehouse_reset_form=[A-Za-z0-9_-]{43}; .*HttpOnly; SameSite=Strict/.test(h)), page.setCookies.join('\n'));
    const done = await browser.post(link, { form_token: formTokenIn(page.html), pass1: 'bob-new-2', pass2: 'bob-new-2' });
    assert.equal(done.status, 200, done.html);
    assert.match(done.html, /Your password has been changed\. You are now logged in as <em class="placeholder">bob<\/em>\./);
    const session = await browser.cookie(s.url, /^SESS/);
    assert.ok(session, 'the browser holds a session cookie');

    // The browser's session is bob's.
    const connect = await fetch(`${s.url}/rest/system/connect.json`, { method: 'POST', headers: { Cookie: session!, 'X-CSRF-Token': await (await fetch(`${s.url}/services/session/token`, { headers: { Cookie: session! } })).text() } });
    assert.equal(connect.status, 200);
    assert.equal(((await connect.json()) as { user: { name: string } }).user.name, 'bob');

    const login = await createNodeClient({ baseUrl: s.url }).login('bob', 'bob-new-2');
    assert.equal(login.user.name, 'bob');
    await rejectsLogin('bob', 'bobpass');
    // The page refuses the used link.
    const again = await new FormBrowser().get(link);
    assert.equal(again.status, 403);
    assert.match(again.html, /either been used or is no longer valid/);
  });
});

describe('one-time login link used twice at once', () => {
  it('eight clients follow the same link at the same moment: one is logged in, the others are told it was used', async () => {
    assert.equal(await createNodeClient({ baseUrl: s.url }).requestNewPassword('alice'), true);
    const m = (await s.received(3))[2];
    const link = parseResetLink(resetLinkIn(m.text))!;
    const outcomes = await Promise.allSettled(Array.from({ length: 8 }, () => createNodeClient({ baseUrl: s.url }).userPassReset(link)));
    const won = outcomes.filter((o) => o.status === 'fulfilled');
    const refused = outcomes.filter((o) => o.status === 'rejected' && o.reason instanceof GatehouseClientError && o.reason.status === 406);
    assert.equal(won.length, 1, `exactly one use succeeds: ${JSON.stringify(outcomes.map((o) => o.status === 'rejected' ? String(o.reason) : 'ok'))}`);
    assert.equal(refused.length, 7);
  });
});

describe('one-time login link in the ?q= form (a site without clean URLs mailed it)', () => {
  it('/?q=user/reset/… and /index.php?q=user/reset/… show the page; its form sets the password there', async () => {
    assert.equal(await createNodeClient({ baseUrl: s.url }).requestNewPassword('admin'), true);
    const m = (await s.received(4))[3];
    const clean = resetLinkIn(m.text);
    const path = clean.slice(s.url.length + 1); // user/reset/1/…/…
    const browser = new FormBrowser();
    const atRoot = await browser.get(`${s.url}/?q=${path}`);
    assert.equal(atRoot.status, 200, atRoot.html);
    assert.match(atRoot.html, /This is a one-time login for <em class="placeholder">admin<\/em>/);
    const viaIndex = `${s.url}/index.php?q=${encodeURIComponent(path)}`;
    const page = await browser.get(viaIndex);
    assert.equal(page.status, 200, page.html);
    const done = await browser.post(viaIndex, { form_token: formTokenIn(page.html), pass1: 'admin-new-3', pass2: 'admin-new-3' });
    assert.equal(done.status, 200, done.html);
    assert.match(done.html, /Your password has been changed/);
    assert.equal((await createNodeClient({ baseUrl: s.url }).login('admin', 'admin-new-3')).user.name, 'admin');
    // Other ?q= paths are not the page.
    const other = await fetch(`${s.url}/?q=user/reset/1/2`);
    assert.doesNotMatch(await other.text(), /one-time login/);
  });
});
