/**
 * The account pages over HTTP, as a browser without JavaScript uses them: login (flood and blocked-account
 * messages from the core), the API's session cookie recognised by the pages, registration under the site's
 * mode, password request (a mail in the outbox), own edit (current password rule; a new password ends the
 * other sessions), my sessions (revoke one, revoke the others), CSRF refusals and `_format` left alone.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../../helpers/test-server.js';
import { call } from '../../helpers/http.js';
import { hashSessionId } from '../../../src/core/crypto/session-id.js';
import { PageClient } from './page-client.js';

let server: TestServer;

/**
 * A server of its own with two user fields, a required-or-not text field and an on/off box (its fields would
 * apply to every other test's forms), shown on the registration form or not.
 */
async function serverWithFields(o: { required: boolean; onRegister: boolean }): Promise<TestServer> {
  const own = await startTestServer({ settings: { user_register: 1, user_email_verification: false } });
  const fields = own.server.store.fields;
  await fields.saveDefinition({ name: 'field_city', type: 'text', label: 'City', cardinality: 1, required: o.required, onRegister: o.onRegister, widget: 'text_textfield', weight: 0, settings: { max_length: 20 } });
  await fields.saveDefinition({ name: 'field_news', type: 'list_boolean', label: 'Send me news', cardinality: 1, required: false, onRegister: o.onRegister, widget: 'options_onoff', weight: 1, settings: { allowed_values: { 0: 'No', 1: 'Yes' } } });
  return own;
}
before(async () => { server = await startTestServer({ settings: { user_register: 1, user_email_verification: false } }); });
after(async () => { await server?.close(); });

async function loggedIn(name: string, pass: string): Promise<PageClient> {
  const c = new PageClient(server.url);
  const res = await c.submit('/user/login', 'user-login', { name, pass });
  assert.equal(res.status, 303, `login of ${name} failed: ${res.text.slice(0, 500)}`);
  return c;
}

describe('account pages', () => {
  it('log in with the form, see the account page, log out', async () => {
    const c = new PageClient(server.url);
    const page = await c.get('/user/login');
    assert.equal(page.status, 200);
    assert.match(page.text, /<label for="edit-name"[^>]*>Username<\/label>/);
    const res = await c.submit('/user/login', 'user-login', { name: 'alice', pass: 'alicepass' });
    assert.equal(res.status, 303);
    assert.match(res.location ?? '', /^\/user\/\d+\/edit$/);
    const edit = await c.get(res.location!);
    assert.equal(edit.status, 200);
    assert.match(edit.text, /Logged in as <strong>alice<\/strong>/);
    const out = await c.get('/user/sessions');
    assert.equal(out.status, 200);
    const logout = await c.post('/user/logout', { form_token: /class="logout".*?name="form_token" value="([^"]+)"/s.exec(out.text)![1] });
    assert.equal(logout.status, 303);
    assert.equal((await c.get('/user/sessions')).status, 403);
  });

  it('a wrong password shows the API message; a blocked account the blocked message', async () => {
    const c = new PageClient(server.url);
    const wrong = await c.submit('/user/login', 'user-login', { name: 'bob', pass: 'nope' });
    assert.equal(wrong.status, 200);
    assert.match(wrong.text, /Wrong username or password\./);
    const blocked = await c.submit('/user/login', 'user-login', { name: 'carol', pass: 'carolpass' });
    assert.match(blocked.text, /has not been activated or is blocked/);
  });

  it('flood control: after the per-account limit the form says the account is blocked', async () => {
    await server.setVariable('user_failed_login_user_limit', 2);
    try {
      const c = new PageClient(server.url);
      for (let i = 0; i < 2; i++) await c.submit('/user/login', 'user-login', { name: 'bob', pass: 'wrong' });
      const res = await c.submit('/user/login', 'user-login', { name: 'bob', pass: 'bobpass' });
      assert.equal(res.status, 200);
      assert.match(res.text, /Account is temporarily blocked\./);
    } finally {
      await server.setVariable('user_failed_login_user_limit', 5);
      await server.server.database.db.deleteFrom('flood').execute();
    }
  });

  it('log in by e-mail only where the site had LoginToboggan\'s e-mail login', async () => {
    const c = new PageClient(server.url);
    const off = await c.submit('/user/login', 'user-login', { name: 'alice@example.com', pass: 'alicepass' });
    assert.equal(off.status, 200);
    await server.setVariable('logintoboggan_login_with_email', 1);
    try {
      assert.match((await c.get('/user/login')).text, /Username or e-mail address/);
      const on = await c.submit('/user/login', 'user-login', { name: 'alice@example.com', pass: 'alicepass' });
      assert.equal(on.status, 303);
    } finally {
      await server.setVariable('logintoboggan_login_with_email', 0);
    }
  });

  it('a session opened through the Services API is logged in on the pages', async () => {
    const login = await call(`${server.url}/rest/user/login`, { method: 'POST', json: { username: 'bob', password: 'bobpass' } });
    assert.equal(login.status, 200);
    const c = new PageClient(server.url);
    c.cookies.set(login.json.session_name, login.json.sessid);
    const page = await c.get('/user/sessions');
    assert.equal(page.status, 200);
    assert.match(page.text, /Logged in as <strong>bob<\/strong>/);
  });

  it('register: open registration logs the new account in; admin-only registration refuses visitors', async () => {
    const c = new PageClient(server.url);
    const res = await c.submit('/user/register', 'user-register', { name: 'dora', mail: 'dora@example.com', pass1: 'dora-pass', pass2: 'dora-pass' });
    assert.equal(res.status, 303);
    const next = await c.get(res.location!);
    assert.match(next.text, /Registration successful\. You are now logged in\./);
    const taken = await new PageClient(server.url).submit('/user/register', 'user-register', { name: 'dora', mail: 'other@example.com', pass1: 'x1', pass2: 'x1' });
    assert.equal(taken.status, 200);
    assert.match(taken.text, /The name <em class="placeholder">dora<\/em> is already taken\./);
    assert.match(taken.text, /id="edit-name"[^>]*aria-invalid="true"/);
    await server.setVariable('user_register', 0);
    try {
      assert.equal((await new PageClient(server.url).get('/user/register')).status, 403);
    } finally {
      await server.setVariable('user_register', 1);
    }
  });

  it('register: the site\'s user fields on the registration form, validated and stored by the core', async () => {
    const own = await serverWithFields({ required: true, onRegister: true });
    const fields = own.server.store.fields;
    try {
      const c = new PageClient(own.url);
      const page = await c.get('/user/register');
      assert.match(page.text, /<label for="edit-field-city-und-0-value" class="required">City<\/label><input type="text" id="edit-field-city-und-0-value" name="field_city\[und\]\[0\]\[value\]"/);
      const missing = await c.submit('/user/register', 'user-register', { name: 'gina', mail: 'gina@example.com', pass1: 'gp', pass2: 'gp' });
      assert.match(missing.text, /City field is required\./);
      const res = await c.submit('/user/register', 'user-register', { name: 'gina', mail: 'gina@example.com', pass1: 'gp', pass2: 'gp', 'field_city[und][0][value]': 'Lyon', 'field_news[und]': '1' });
      assert.equal(res.status, 303);
      const gina = (await own.server.store.accounts.byName('gina', '='))!;
      const stored = await fields.valuesOf(gina.uid);
      assert.equal(stored.field_city?.[0]?.value, 'Lyon');
      assert.equal(String(stored.field_news?.[0]?.value), '1');
    } finally {
      await own.close();
    }
  });

  it('edit: the site\'s user fields on the account form, filled from what is stored, changed and unchecked', async () => {
    const own = await serverWithFields({ required: false, onRegister: false });
    const fields = own.server.store.fields;
    try {
      const bob = (await own.server.store.accounts.byName('bob', '='))!;
      await fields.setItems(bob.uid, 'field_city', [{ value: 'Nantes' }]);
      await fields.setItems(bob.uid, 'field_news', [{ value: '1' }]);
      const c = new PageClient(own.url);
      assert.equal((await c.submit('/user/login', 'user-login', { name: 'bob', pass: 'bobpass' })).status, 303);
      const page = await c.get(`/user/${bob.uid}/edit`);
      assert.match(page.text, /name="field_city\[und\]\[0\]\[value\]" value="Nantes"/);
      assert.match(page.text, /name="field_news\[und\]" value="1" checked/);
      const saved = await c.submit(`/user/${bob.uid}/edit`, 'user-profile-form', { mail: 'bob@example.com', 'field_city[und][0][value]': 'Brest' });
      assert.equal(saved.status, 303, saved.text);
      const stored = await fields.valuesOf(bob.uid);
      assert.equal(stored.field_city?.[0]?.value, 'Brest');
      assert.equal(String(stored.field_news?.[0]?.value), '0', 'the box the browser did not send was unchecked');
    } finally {
      await own.close();
    }
  });

  it('request a new password: a reset mail is queued; an unknown name is refused', async () => {
    const c = new PageClient(server.url);
    const before = (await server.mails()).length;
    const res = await c.submit('/user/password', 'user-pass', { name: 'alice@example.com' });
    assert.equal(res.status, 303);
    assert.match((await c.get(res.location!)).text, /Further instructions have been sent/);
    const mails = await server.mails();
    assert.equal(mails.length, before + 1);
    assert.match(mails.at(-1)!.body, /\/user\/reset\/\d+\/\d+\//);
    const unknown = await c.submit('/user/password', 'user-pass', { name: 'nobody-here' });
    assert.match(unknown.text, /is not recognized as a user name or an e-mail address/);
  });

  it('edit own account: the current password is required; a new password ends the other sessions', async () => {
    const here = await loggedIn('bob', 'bobpass');
    const there = await loggedIn('bob', 'bobpass');
    const editPath = (await here.get('/user/login')).location!;
    const missing = await here.submit(editPath, 'user-profile-form', { mail: 'bob@example.com', pass1: 'bob-new', pass2: 'bob-new' });
    assert.match(missing.text, /Your current password is missing or incorrect/);
    const saved = await here.submit(editPath, 'user-profile-form', { mail: 'bob@example.com', current_pass: 'bobpass', pass1: 'bob-new', pass2: 'bob-new', timezone: 'Europe/Paris' });
    assert.equal(saved.status, 303);
    assert.match((await here.get(editPath)).text, /The changes have been saved\./);
    assert.equal((await there.get('/user/sessions')).status, 403, 'the other browser is logged out');
    assert.equal((await here.get('/user/sessions')).status, 200, 'this browser stays logged in');
    const bob = await server.server.store.accounts.byName('bob', '=');
    assert.equal(bob?.timezone, 'Europe/Paris');
    await loggedIn('bob', 'bob-new');
  });

  it('my sessions: browser and IP listed, end one, end all the others', async () => {
    const a = await loggedIn('alice', 'alicepass');
    const b = await loggedIn('alice', 'alicepass');
    const c = await loggedIn('alice', 'alicepass');
    const list = await a.get('/user/sessions');
    assert.match(list.text, /Firefox 128 on Linux/);
    assert.match(list.text, /127\.0\.0\.1/);
    assert.match(list.text, /This browser/);
    // b's session as the list names it: the stored (hashed) id of b's cookie.
    const sid = hashSessionId([...b.cookies].find(([k]) => k.startsWith('SESS'))![1]);
    assert.match(list.text, new RegExp(`name="sid" value="${sid}"`));
    const one = await a.post('/user/sessions', { op: 'revoke', sid, form_token: /id="revoke-others".*?name="form_token" value="([^"]+)"/s.exec(list.text)![1] });
    assert.equal(one.status, 303);
    assert.equal((await b.get('/user/sessions')).status, 403, 'b ended');
    assert.equal((await c.get('/user/sessions')).status, 200, 'c still logged in');
    await a.submit('/user/sessions', 'revoke-others', { op: 'others' });
    assert.equal((await b.get('/user/sessions')).status, 403);
    assert.equal((await c.get('/user/sessions')).status, 403);
    assert.equal((await a.get('/user/sessions')).status, 200);
  });

  it('someone else\'s session cannot be ended from my sessions', async () => {
    const alice = await loggedIn('alice', 'alicepass');
    const admin = await loggedIn('admin', 'admin');
    const adminSid = [...(await server.server.database.db.selectFrom('sessions').select(['sid', 'uid']).where('uid', '=', 1).execute())][0].sid;
    const page = await alice.get('/user/sessions');
    await alice.post('/user/sessions', { op: 'revoke', sid: adminSid, form_token: /id="revoke-others".*?name="form_token" value="([^"]+)"/s.exec(page.text)![1] });
    assert.equal((await admin.get('/user/sessions')).status, 200);
  });
});

describe('CSRF and access', () => {
  it('a form posted without its token, or with another form\'s token, changes nothing', async () => {
    const c = await loggedIn('alice', 'alicepass');
    const editPath = (await c.get('/user/login')).location!;
    const none = await c.post(editPath, { mail: 'evil@example.com' });
    assert.equal(none.status, 403);
    assert.match(none.text, /could not be verified/);
    const page = await c.get('/user/sessions');
    const foreign = /id="revoke-others".*?name="form_token" value="([^"]+)"/s.exec(page.text)![1];
    assert.equal((await c.post(editPath, { mail: 'evil@example.com', form_token: foreign })).status, 403);
    const other = new PageClient(server.url);
    const theirs = await other.get('/user/login');
    assert.equal((await other.post('/user/login', { name: 'alice', pass: 'alicepass', form_token: 'x' })).status, 403);
    assert.ok(theirs.status === 200);
    assert.equal((await server.server.store.accounts.byName('alice', '='))?.mail, 'alice@example.com');
  });

  it('a login token from one browser does not work with another browser\'s cookie', async () => {
    const a = new PageClient(server.url);
    const b = new PageClient(server.url);
    const page = await a.get('/user/login');
    await b.get('/user/login');
    const token = /name="form_token" value="([^"]+)"/.exec(page.text)![1];
    assert.equal((await b.post('/user/login', { name: 'alice', pass: 'alicepass', form_token: token })).status, 403);
  });

  it('visitors and users without administer users get 403 on the console; another account\'s edit page too', async () => {
    const visitor = new PageClient(server.url);
    const alice = await loggedIn('alice', 'alicepass');
    for (const path of ['/admin/people', '/admin/people/sessions', '/admin/people/flood', '/admin/mail', '/admin/people/create']) {
      assert.equal((await visitor.get(path)).status, 403, path);
      assert.equal((await alice.get(path)).status, 403, path);
    }
    assert.equal((await alice.post('/admin/people', { operation: 'block', accounts: '1' })).status, 403);
    assert.equal((await alice.get('/user/1/edit')).status, 403);
  });

  it('paths with _format are not the pages\'', async () => {
    // GET /user/login?_format=json belongs to the Drupal 8 dialect (405: it takes POST), never the HTML page.
    const res = await call(`${server.url}/user/login?_format=json`);
    assert.notEqual(res.status, 200);
    assert.doesNotMatch(res.headers.get('content-type') ?? '', /html/);
  });
});
