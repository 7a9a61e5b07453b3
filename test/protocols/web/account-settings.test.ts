// /admin/config/people/accounts: the settings system/set_variable changes, as a form. What the form saves is
// what the API then does (registration mode, verification, mail texts), values are stored as Drupal's form
// stores them, a text set back to the default is deleted, changes are audited, only administrators get in.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../../helpers/test-server.js';
import { PageClient } from './page-client.js';

let server: TestServer;
before(async () => { server = await startTestServer(); });
after(async () => { await server?.close(); });

async function loggedIn(name: string, pass: string): Promise<PageClient> {
  const c = new PageClient(server.url);
  assert.equal((await c.submit('/user/login', 'user-login', { name, pass })).status, 303);
  return c;
}

const register = (name: string) => fetch(`${server.url}/rest/user/register.json`, {
  method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' },
  body: JSON.stringify({ name, mail: `${name}@example.com`, pass: 'pw-12345' }),
});

describe('account settings page', () => {
  it('changes who may register and the verification, seen by the API at once', async () => {
    const admin = await loggedIn('admin', 'admin');
    const page = await admin.get('/admin/config/people/accounts');
    assert.equal(page.status, 200);
    assert.match(page.text, /<label for="edit-user-register">Who can register accounts\?<\/label>/);
    assert.match(page.text, /<option value="1" selected>Visitors<\/option>/, 'the recorded site lets visitors register');
    const saved = await admin.submit('/admin/config/people/accounts', 'user-admin-settings', { user_register: '0', user_email_verification: '1' });
    assert.equal(saved.status, 303);
    assert.equal((await register('nobodyallowed')).status, 403, 'administrators only now: Services\' access denied');
    assert.equal(await server.server.store.variables.get('user_register'), '0', 'stored as the form\'s string, as Drupal stores it');
    assert.equal(await server.server.store.variables.get('user_email_verification'), 1, 'the checked box: 1');
    await admin.submit('/admin/config/people/accounts', 'user-admin-settings', { user_register: '1' });
    assert.equal(await server.server.store.variables.get('user_email_verification'), 0, 'the unchecked box: 0');
    const r = await register('visitorwelcome');
    assert.equal(r.status, 200, await r.text());
    assert.match((await admin.get('/admin/config/people/accounts')).text, /<option value="1" selected>/);
  });

  it('saves a mail text the outbox then uses, and deletes one set back to the default', async () => {
    const admin = await loggedIn('admin', 'admin');
    const page = (await admin.get('/admin/config/people/accounts')).text;
    const subject = /id="edit-user-mail-password-reset-subject" name="user_mail_password_reset_subject" value="([^"]*)"/.exec(page)?.[1];
    assert.ok(subject, 'the effective subject is shown');
    await admin.submit('/admin/config/people/accounts', 'user-admin-settings', { user_register: '1', user_mail_password_reset_subject: 'Your link for [site:name]' });
    assert.equal(await server.server.store.variables.get('user_mail_password_reset_subject'), 'Your link for [site:name]');
    const asked = await fetch(`${server.url}/rest/user/request_new_password.json`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'bob' }) });
    assert.equal(asked.status, 200);
    assert.ok((await server.mails()).some((m) => m.to.startsWith('bob') && /^Your link for /.test(m.subject)));
    await admin.submit('/admin/config/people/accounts', 'user-admin-settings', { user_register: '1', user_mail_password_reset_subject: subject.replace(/&amp;/g, '&').replace(/&#39;/g, '\'').replace(/&quot;/g, '"') });
    assert.equal(await server.server.store.variables.get('user_mail_password_reset_subject'), undefined, 'back to the default: the variable is gone');
  });

  it('audits changes and lets only administrators in', async () => {
    const admin = await loggedIn('admin', 'admin');
    await admin.submit('/admin/config/people/accounts', 'user-admin-settings', { user_register: '2', user_email_verification: '1' });
    const lines = (await admin.get('/admin/audit/export?event=settings_change')).text.trim().split('\n').map((l) => JSON.parse(l));
    assert.match(lines[0].detail, /user_register, user_email_verification/);
    assert.equal(lines[0].actorName, 'admin');
    const alice = await loggedIn('alice', 'alicepass');
    assert.equal((await alice.get('/admin/config/people/accounts')).status, 403);
    assert.equal((await alice.post('/admin/config/people/accounts', { user_register: '1' })).status, 403);
    assert.equal((await new PageClient(server.url).get('/admin/config/people/accounts')).status, 403);
  });
});
