/**
 * Two rules of user_profile_form_submit as Services runs it (session saving off only while the callback runs,
 * so what it put in `$_SESSION` is written when the request ends):
 * - the one-time login's `pass_reset_<uid>` token is unset once a new password is saved: a second PUT with the
 *   same token needs the current password (406) and changes nothing; an update without a password keeps it;
 * - drupal_set_message() messages ("The changes have been saved.", every form error) stay in
 *   `$_SESSION['messages']`, repeats included, and a later system/connect shows them; Services never displays
 *   (so never clears) them, logout ends them with the session.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { call } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { messagesData, openResetSession, phpString, post, put, sessionData } from './account-flows.js';
import { logIn } from './wire.js';
import { MAX_MESSAGES } from '../../src/protocols/session/session-handle.js';

const SAVED = 'The changes have been saved.';
const CURRENT_PASS_406 = "Not Acceptable : Your current password is missing or incorrect; it's required to change the Password.";

describe('the one-time login token works once', () => {
  let s: TestServer;
  before(async () => { s = await startTestServer(); });
  after(async () => { await s.close(); });

  test('a second PUT with the same pass-reset-token is refused and changes nothing', async () => {
    const r = await openResetSession(s, 'bob');
    assert.equal(await sessionData(s, r), `pass_reset_3|${phpString(r.passResetToken)}`);
    const first = await put(s, r, `user/3?pass-reset-token=${r.passResetToken}`, { pass: 'bob-new-1' });
    assert.equal(first.status, 200, first.text);
    assert.equal(await sessionData(s, r), messagesData({ status: [SAVED] }), 'token gone, message kept');
    const second = await put(s, r, `user/3?pass-reset-token=${r.passResetToken}`, { pass: 'bob-new-2' });
    assert.equal(second.status, 406);
    assert.equal(second.reason, CURRENT_PASS_406);
    assert.equal((await call(`${s.url}/rest/user/login`, { method: 'POST', json: { username: 'bob', password: 'bob-new-2' } })).status, 401);
    assert.equal((await call(`${s.url}/rest/user/login`, { method: 'POST', json: { username: 'bob', password: 'bob-new-1' } })).status, 200);
  });

  test('an update that saves no password keeps the token for the password change', async () => {
    const r = await openResetSession(s, 'alice');
    const tz = await put(s, r, `user/2?pass-reset-token=${r.passResetToken}`, { timezone: 'Europe/Paris' });
    assert.equal(tz.status, 200, tz.text);
    assert.equal(await sessionData(s, r), `pass_reset_2|${phpString(r.passResetToken)}${messagesData({ status: [SAVED] })}`);
    const pass = await put(s, r, `user/2?pass-reset-token=${r.passResetToken}`, { pass: 'alice-new' });
    assert.equal(pass.status, 200, pass.text);
    assert.equal(await sessionData(s, r), messagesData({ status: [SAVED, SAVED] }));
  });
});

describe('session messages', () => {
  let s: TestServer;
  before(async () => { s = await startTestServer(); });
  after(async () => { await s.close(); });

  test('an update leaves "The changes have been saved." for a later connect, repeats included', async () => {
    const alice = await logIn(s, 'alice', 'alicepass');
    assert.equal(await sessionData(s, alice), '');
    assert.equal((await put(s, alice, 'user/2', { timezone: 'Europe/Paris' })).status, 200);
    assert.equal(await sessionData(s, alice), messagesData({ status: [SAVED] }));
    assert.equal((await put(s, alice, 'user/2', { timezone: 'Europe/Berlin' })).status, 200);
    assert.equal(await sessionData(s, alice), messagesData({ status: [SAVED, SAVED] }), 'connect does not clear them');
  });

  test('form errors of a logged-in user are kept as error messages, in the order they were set', async () => {
    const bob = await logIn(s, 'bob', 'bobpass');
    const bad = await put(s, bob, 'user/3', { mail: 'bad' });
    assert.equal(bad.status, 406);
    assert.equal(await sessionData(s, bob), messagesData({
      error: [
        'The e-mail address <em class="placeholder">bad</em> is not valid.',
        'Your current password is missing or incorrect; it\'s required to change the <em class="placeholder">E-mail address</em>.',
      ],
    }));
    assert.equal((await post(s, bob, 'user/logout')).status, 200);
    const again = await logIn(s, 'bob', 'bobpass');
    assert.equal(await sessionData(s, again), '', 'logout ended them with the session');
  });

  test('an administrator creating an account is told so in the session, with a link to it', async () => {
    const admin = await logIn(s, 'admin', 'admin');
    const created = await post(s, admin, 'user', { name: 'made1', mail: 'made1@example.com', pass: 'secret' });
    assert.equal(created.status, 200, created.text);
    const uid = created.json.uid;
    const notified = await post(s, admin, 'user', { name: 'made2', mail: 'made2@example.com', pass: 'secret', notify: 1 });
    assert.equal(notified.status, 200, notified.text);
    assert.equal(await sessionData(s, admin), messagesData({
      status: [
        `Created a new user account for <a href="/user/${uid}"><em class="placeholder">made1</em></a>. No e-mail has been sent.`,
        `A welcome message with further instructions has been e-mailed to the new user <a href="/user/${notified.json.uid}"><em class="placeholder">made2</em></a>.`,
      ],
    }));
  });

  test("a visitor's messages stay in the session through login (drupal_session_regenerate keeps $_SESSION)", async () => {
    const failed = await call(`${s.url}/rest/user/register`, { method: 'POST', json: { name: 'alice', mail: 'x@example.com', pass: 'p' } });
    assert.equal(failed.status, 406);
    const cookie = failed.setCookies[0].split(';')[0];
    const login = await call(`${s.url}/rest/user/login`, { method: 'POST', headers: { cookie }, json: { username: 'alice', password: 'alicepass' } });
    assert.equal(login.status, 200, login.text);
    const alice = { cookie: `${login.json.session_name}=${login.json.sessid}`, token: login.json.token };
    assert.equal(await sessionData(s, alice), messagesData({ error: ['The name <em class="placeholder">alice</em> is already taken.'] }));
  });

  test('a session keeps at most MAX_MESSAGES messages of one type', async () => {
    const admin = await logIn(s, 'admin', 'admin');
    for (let i = 0; i < MAX_MESSAGES + 3; i++) assert.equal((await put(s, admin, 'user/1', {})).status, 200);
    assert.equal(await sessionData(s, admin), messagesData({ status: Array(MAX_MESSAGES).fill(SAVED) }));
  });

  test('cancel leaves "<name> has been disabled." (or "deleted.") in the canceller\'s session', async () => {
    const admin = await logIn(s, 'admin', 'admin');
    const uids: string[] = [];
    for (const name of ['gone1', 'gone2']) {
      const created = await post(s, admin, 'user', { name, mail: `${name}@example.com`, pass: 'secret' });
      assert.equal(created.status, 200, created.text);
      uids.push(created.json.uid);
    }
    assert.equal((await post(s, admin, `user/${uids[0]}/cancel`)).status, 200);
    await s.setVariable('user_cancel_method', 'user_cancel_delete');
    try {
      assert.equal((await post(s, admin, `user/${uids[1]}/cancel`)).status, 200);
    } finally {
      await s.server.store.variables.delete('user_cancel_method');
    }
    const created = (uid: string, name: string) => `Created a new user account for <a href="/user/${uid}"><em class="placeholder">${name}</em></a>. No e-mail has been sent.`;
    assert.equal(await sessionData(s, admin), messagesData({
      status: [created(uids[0], 'gone1'), created(uids[1], 'gone2'), '<em class="placeholder">gone1</em> has been disabled.', '<em class="placeholder">gone2</em> has been deleted.'],
    }));
  });
});
