// `security: hardened` as a whole: SameSite=Lax + Secure cookies, login CSRF for anonymous login and
// register, one generic login error, no anonymous password_reset by uid, a tight registration limit,
// trusted hosts required, other sessions ended on a password change through the API. And in compat mode
// the web reset page ends the account's other sessions, as Drupal's form does.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FormBrowser, formTokenIn } from '../mail/form-browser.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { type RawAnswer, request } from './raw.js';

const cookieOf = (r: RawAnswer) => String((r.headers['set-cookie'] ?? [])[0] ?? '').split(';')[0];
const tokenFor = async (t: TestServer, cookie?: string) => {
  const r = await request(`${t.url}/services/session/token`, { headers: cookie ? { Cookie: cookie } : {} });
  return { token: r.text, cookie: cookie ?? cookieOf(r), setCookie: String((r.headers['set-cookie'] ?? [])[0] ?? '') };
};
const connectUid = async (t: TestServer, cookie: string) => {
  const { token } = await tokenFor(t, cookie);
  const r = await request(`${t.url}/rest/system/connect.json`, { body: '{}', headers: { Cookie: cookie, 'X-CSRF-Token': token } });
  return Number(JSON.parse(r.text).user.uid);
};

async function loggedIn(t: TestServer, username: string, password: string): Promise<string> {
  const pre = await tokenFor(t);
  const r = await request(`${t.url}/rest/user/login.json`, { body: JSON.stringify({ username, password }), headers: pre.cookie ? { Cookie: pre.cookie, 'X-CSRF-Token': pre.token } : {} });
  assert.equal(r.status, 200, r.text);
  return cookieOf(r);
}

describe('security: hardened', () => {
  let t: TestServer;
  before(async () => { t = await startTestServer({ config: { security: 'hardened', trustedHosts: ['^127\\.0\\.0\\.1$'] }, settings: { user_register: 1, user_email_verification: false } }); });
  after(() => t.close());

  it('login needs the token of a pre-session cookie; cookies are Secure and SameSite=Lax', async () => {
    const bare = await request(`${t.url}/rest/user/login.json`, { body: JSON.stringify({ username: 'alice', password: 'alicepass' }) });
    assert.equal(bare.status, 401);
    assert.match(bare.reason, /CSRF validation failed/);
    const pre = await tokenFor(t);
    assert.match(pre.setCookie, /; secure; HttpOnly; SameSite=Lax$/);
    const forged = await request(`${t.url}/rest/user/login.json`, { body: JSON.stringify({ username: 'alice', password: 'alicepass' }), headers: { Cookie: pre.cookie, 'X-CSRF-Token': 'x' } });
    assert.equal(forged.status, 401);
    const ok = await request(`${t.url}/rest/user/login.json`, { body: JSON.stringify({ username: 'alice', password: 'alicepass' }), headers: { Cookie: pre.cookie, 'X-CSRF-Token': pre.token } });
    assert.equal(ok.status, 200, ok.text);
    assert.match(String(ok.headers['set-cookie']), /secure; HttpOnly; SameSite=Lax/);
    assert.notEqual(cookieOf(ok), pre.cookie, 'the pre-session id is not kept (no fixation)');
  });

  it('registration needs the token too, and is limited to 20 per address and hour', async () => {
    const body = JSON.stringify({ name: 'hard1', mail: 'hard1@example.com', pass: 'pw-123456' });
    assert.equal((await request(`${t.url}/rest/user/register.json`, { body })).status, 401);
    const pre = await tokenFor(t);
    assert.equal((await request(`${t.url}/rest/user/register.json`, { body, headers: { Cookie: pre.cookie, 'X-CSRF-Token': pre.token } })).status, 200);
    assert.deepEqual(t.server.core.registrationLimit, { perIp: 20, window: 3600 });
  });

  it('one generic login error', async () => {
    const pre = await tokenFor(t);
    for (const username of ['alice', 'nobody', 'carol']) {
      const r = await request(`${t.url}/rest/user/login.json`, { body: JSON.stringify({ username, password: 'wrong' }), headers: { Cookie: pre.cookie, 'X-CSRF-Token': pre.token } });
      assert.equal(r.status, 401, username);
      assert.deepEqual(JSON.parse(r.text), ['Wrong username or password.']);
    }
  });

  it('no anonymous password_reset by uid', async () => {
    const pre = await tokenFor(t);
    const r = await request(`${t.url}/rest/user/2/password_reset.json`, { body: '{}', headers: { Cookie: pre.cookie, 'X-CSRF-Token': pre.token } });
    assert.equal(r.status, 403);
  });

  it('a password changed through the API ends the other sessions, not the current one', async () => {
    const a = await loggedIn(t, 'bob', 'bobpass');
    const b = await loggedIn(t, 'bob', 'bobpass');
    const uid = await connectUid(t, a);
    const { token } = await tokenFor(t, a);
    const r = await request(`${t.url}/rest/user/${uid}.json`, { method: 'PUT', body: JSON.stringify({ current_pass: 'bobpass', pass: 'bobpass-2' }), headers: { Cookie: a, 'X-CSRF-Token': token } });
    assert.equal(r.status, 200, r.text);
    assert.equal(await connectUid(t, a), uid, 'the session that changed it stays');
    assert.equal(await connectUid(t, b), 0, 'the other session ended');
  });
});

describe('compat mode', () => {
  let t: TestServer;
  before(async () => { t = await startTestServer(); });
  after(() => t.close());

  it('keeps Drupal 7\'s wire: no login CSRF, no SameSite, anonymous password_reset by uid, sessions kept on an API password change', async () => {
    const r = await request(`${t.url}/rest/user/login.json`, { body: JSON.stringify({ username: 'bob', password: 'bobpass' }) });
    assert.equal(r.status, 200);
    assert.doesNotMatch(String(r.headers['set-cookie']), /SameSite|secure/);
    const b = cookieOf(r);
    const a = cookieOf(await request(`${t.url}/rest/user/login.json`, { body: JSON.stringify({ username: 'bob', password: 'bobpass' }) }));
    const uid = await connectUid(t, a);
    const { token } = await tokenFor(t, a);
    assert.equal((await request(`${t.url}/rest/user/${uid}.json`, { method: 'PUT', body: JSON.stringify({ current_pass: 'bobpass', pass: 'bobpass-2' }), headers: { Cookie: a, 'X-CSRF-Token': token } })).status, 200);
    assert.equal(await connectUid(t, b), uid, 'compat: the other session lives on');
    assert.equal((await request(`${t.url}/rest/user/${uid}/password_reset.json`, { body: '{}' })).status, 200);
  });

  it('the web reset page ends the account\'s other sessions, keeping the one it logs in', async () => {
    const other = cookieOf(await request(`${t.url}/rest/user/login.json`, { body: JSON.stringify({ username: 'alice', password: 'alicepass' }) }));
    const uid = await connectUid(t, other);
    assert.equal((await request(`${t.url}/rest/user/request_new_password.json`, { body: JSON.stringify({ name: 'alice' }) })).status, 200);
    const link = /http:\/\/\S+\/user\/reset\/\S+/.exec((await t.mails()).at(-1)!.body)![0];
    const browser = new FormBrowser();
    const page = await browser.get(link);
    const done = await browser.post(link, { form_token: formTokenIn(page.html), pass1: 'alice-new-1', pass2: 'alice-new-1' });
    assert.equal(done.status, 200, done.html);
    assert.equal(await connectUid(t, other), 0, 'the session from before the reset ended');
    const mine = (await browser.cookie(t.url, /^S?SESS/))!;
    assert.equal(await connectUid(t, mine), uid, 'the browser that reset the password stays logged in');
  });
});
