/**
 * Site B's database compared names and mails with utf8mb3_general_ci: imported, Gatehouse compares them the
 * same way over HTTP (login, the blocked check, uniqueness at registration, request_new_password, index
 * filters), keeps its legacy duplicate mails working, and applies LoginToboggan's registration rule.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useSiteB } from './served.js';

const ALICE = 'SSESS574595f559df59f0217e4bc3cf2c3ce9=haiPMRSA6CynY5VVjiErDaZFMxBJVoHUsGqHNrGEn4Y';
const PHONE = { und: [{ value: '+33 1 00 00 00 00' }] };

describe('site B: names and mails compare as its utf8mb3_general_ci database did', () => {
  const site = useSiteB();
  const req = site.req;
  const login = (username: string, password: string) => req('POST', '/api/user/login', { body: { username, password } });
  const register = (name: string, mail: string) => req('POST', '/api/user/register', { body: { name, mail, pass: 'new-pass-1', field_phone: PHONE } });

  it('imports the collation as the site setting', async () => {
    assert.equal(await site.server.server.store.variables.get('gatehouse_collation'), 'utf8mb3_general_ci');
  });

  it('logs in José Müller as "jose muller", "JOSE MULLER" and with trailing spaces; a near miss is refused', async () => {
    for (const name of ['jose muller', 'JOSE MULLER', 'José Müller', 'jose muller  ', 'JOSÉ MÜLLER']) {
      const r = await login(name, 'Jose-pass-ü1');
      assert.equal(r.status, 200, `${name}: ${r.text}`);
      assert.equal(r.json.user.uid, '7');
      assert.equal(r.json.user.name, 'José Müller');
    }
    assert.equal((await login('jose mullers', 'Jose-pass-ü1')).status, 401);
    assert.equal((await login('ALICE', 'alicepass')).json.user.name, 'alice');
  });

  it('finds a blocked account by LIKE, whatever the case: 403 blocked', async () => {
    const r = await login('CAROL', 'carolpass');
    assert.equal(r.status, 403, r.text);
    assert.match(r.reason, /The username CAROL has not been activated or is blocked\./);
  });

  it('refuses a name or a mail equal under the collation at registration', async () => {
    const name = await register('Jose Muller', 'someone-new@example.test');
    assert.equal(name.status, 406, name.text);
    assert.deepEqual(name.json.form_errors, { name: 'The name <em class="placeholder">Jose Muller</em> is already taken.' });
    assert.equal(name.reason, 'Not Acceptable : The name Jose Muller is already taken.');
    const mail = await register('someone-new', 'JOSE.MULLER@EXAMPLE.TEST');
    assert.equal(mail.status, 406, mail.text);
    assert.match(mail.json.form_errors.mail, /^The e-mail address <em class="placeholder">JOSE\.MULLER@EXAMPLE\.TEST<\/em> is already registered\./);
  });

  it('refuses to rename an account to a name equal under the collation', async () => {
    const bob = 'SSESS574595f559df59f0217e4bc3cf2c3ce9=NexdE2pWWxsXU6Uj95XrTIjXkVn69aHDXVCUFb67msc';
    const r = await req('PUT', '/api/user/3', { cookie: bob, token: 'DiALudzTmRSQ2Yxmgby3NEpkcBESuCazJmU68yjwtuA', body: { name: 'jose müller', current_pass: 'bobpass' } });
    assert.equal(r.status, 406, r.text);
    assert.equal(r.json.form_errors.name, 'The name <em class="placeholder">jose müller</em> is already taken.');
  });

  it('sends a one-time link for a name or mail equal under the collation (request_new_password)', async () => {
    for (const [asked, uid] of [['JOSE MULLER', 7], ['Jose.Muller@Example.TEST', 7], ['SHOUTY@example.test', 19]] as const) {
      const before = (await site.server.mails()).length;
      const r = await req('POST', '/api/user/request_new_password', { body: { name: asked } });
      assert.equal(r.status, 200, `${asked}: ${r.text}`);
      const mails = await site.server.mails();
      assert.equal(mails.length, before + 1, asked);
      assert.match(mails[mails.length - 1].body, new RegExp(`/user/reset/${uid}/`), asked);
    }
    const unknown = await req('POST', '/api/user/request_new_password', { body: { name: 'jose mullers' } });
    assert.equal(unknown.status, 406);
  });

  it('request_new_password by a legacy duplicate mail whose first holder is blocked mails the active one, as user_pass_validate does', async () => {
    const session = (await login('admin', 'B-admin-2013!')).json;
    const admin = { cookie: `${session.session_name}=${session.sessid}`, token: session.token };
    const block = (status: number) => req('PUT', '/api/user/12', { ...admin, body: { status } });
    assert.equal((await block(0)).status, 200);
    try {
      const before = (await site.server.mails()).length;
      const r = await req('POST', '/api/user/request_new_password', { body: { name: 'CASEY.DUP@example.test' } });
      assert.equal(r.status, 200, r.text);
      const mails = await site.server.mails();
      assert.equal(mails.length, before + 1);
      assert.match(mails[mails.length - 1].body, /\/user\/reset\/13\//);
    } finally {
      assert.equal((await block(1)).status, 200);
    }
  });

  it('filters the index by name and mail as the database did', async () => {
    const byName = await req('GET', '/api/user?parameters[name]=ALICE&fields=uid,name', { cookie: ALICE });
    const uids = (r: { json: Array<{ uid: string }> }) => r.json.map((u) => u.uid);
    assert.deepEqual(byName.json.map((u: { uid: string; name: string }) => [u.uid, u.name]), [['2', 'alice']]);
    const accented = await req('GET', `/api/user?parameters[name]=${encodeURIComponent('jose muller')}&fields=uid`, { cookie: ALICE });
    assert.deepEqual(uids(accented), ['7']);
    const byMail = await req('GET', '/api/user?parameters[mail]=casey.dup@example.test&fields=uid&options[orderby][uid]=ASC', { cookie: ALICE });
    assert.deepEqual(uids(byMail), ['12', '13'], 'both case-variant rows');
  });

  it('keeps the legacy duplicate mails: both accounts log in; a new account cannot take the address', async () => {
    assert.equal((await login('casey', 'caseypass')).status, 200);
    assert.equal((await login('casey2', 'casey2pass')).status, 200);
    const r = await register('casey3', 'CASEY.DUP@example.test');
    assert.equal(r.status, 406);
    assert.ok(r.json.form_errors.mail);
  });

  it("LoginToboggan: a name that is another account's e-mail is refused on the name", async () => {
    for (const name of ['bob@example.test', 'BOB@Example.Test']) {
      const r = await register(name, 'fresh-lt@example.test');
      assert.equal(r.status, 406, r.text);
      assert.deepEqual(r.json.form_errors, { name: 'This e-mail has already been taken by another user.' });
      assert.equal(r.reason, 'Not Acceptable : This e-mail has already been taken by another user.');
    }
    const ok = await register('fresh-lt@example.test', 'fresh-lt@example.test');
    assert.equal(ok.status, 200, ok.text);
  });

  it("LoginToboggan on the profile form: a name that is another's e-mail, a mail that is another's name, its password check", async () => {
    const bob = 'SSESS574595f559df59f0217e4bc3cf2c3ce9=NexdE2pWWxsXU6Uj95XrTIjXkVn69aHDXVCUFb67msc';
    const put = (body: Record<string, unknown>) => req('PUT', '/api/user/3', { cookie: bob, token: 'DiALudzTmRSQ2Yxmgby3NEpkcBESuCazJmU68yjwtuA', body });
    const name = await put({ name: 'Alice@Example.test' });
    assert.equal(name.status, 406, name.text);
    assert.deepEqual(name.json.form_errors, { name: 'This name has already been taken by another user.' });
    const named = await register('named.like@mail.test', 'named-owner@example.test');
    assert.equal(named.status, 200, named.text);
    const mail = await put({ mail: 'NAMED.LIKE@mail.test', current_pass: 'bobpass' });
    assert.equal(mail.status, 406, mail.text);
    assert.deepEqual(mail.json.form_errors, { mail: 'This e-mail has already been taken by another user.' });
    const pass = await put({ pass: 'pässword-1', current_pass: 'bobpass' });
    assert.equal(pass.status, 406, pass.text);
    assert.deepEqual(pass.json.form_errors, { pass: 'The password contains an illegal character.' });
    const registered = await req('POST', '/api/user/register', { body: { name: 'cafe-lover', mail: 'cafe@example.test', pass: 'café-pass', field_phone: PHONE } });
    assert.equal(registered.status, 406, registered.text);
    assert.deepEqual(registered.json.form_errors, { pass: 'The password contains an illegal character.' });
  });
});
