/**
 * Drupal's user_save: when an active account is blocked, drupal_session_destroy_uid ends every session of it —
 * whichever way the block comes (Services update or cancel, Drupal 8 PATCH, the console, the CLI). The rows go
 * (a legacy site sharing the table sees them gone too), and the cookie reads as anonymous from then on.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { call } from '../helpers/http.js';
import { post, put } from './account-flows.js';
import { d8Login, d8Patch } from './drupal8/d8-client.js';
import { type LoggedIn, logIn, useServerWithAdmin } from './wire.js';

describe('blocking an account ends its sessions (user_save)', () => {
  const t = useServerWithAdmin();
  let n = 0;

  /** A new active account, logged in twice (two devices). */
  async function loggedInTwice(): Promise<{ uid: number; sessions: LoggedIn[] }> {
    const name = `b${n++}`;
    const r = await post(t.s, t.admin, 'user', { name, mail: `${name}@example.com`, pass: 'secret', status: 1 });
    assert.equal(r.status, 200, r.text);
    return { uid: Number(r.json.uid), sessions: [await logIn(t.s, name, 'secret'), await logIn(t.s, name, 'secret')] };
  }
  const rowsOf = async (uid: number) => (await t.s.server.database.db.selectFrom('sessions').select('sid').where('uid', '=', uid).execute()).length;
  const connectedUid = async (c: LoggedIn) => {
    const r = await call(`${t.s.url}/rest/system/connect`, { method: 'POST', headers: { cookie: c.cookie, 'X-CSRF-Token': c.token }, json: {} });
    return Number(r.json?.user?.uid ?? -1);
  };

  async function assertLoggedOut(uid: number, sessions: LoggedIn[]): Promise<void> {
    assert.equal(await rowsOf(uid), 0, 'every session row of the blocked account is gone');
    for (const c of sessions) assert.equal(await connectedUid(c), 0, 'its cookie reads as anonymous');
    assert.equal(await connectedUid(t.admin), 1, 'the administrator stays logged in');
  }

  test('Services PUT user/{uid} with status 0', async () => {
    const { uid, sessions } = await loggedInTwice();
    assert.equal(await rowsOf(uid), 2);
    const r = await put(t.s, t.admin, `user/${uid}`, { status: 0 });
    assert.equal(r.status, 200, r.text);
    await assertLoggedOut(uid, sessions);
  });

  test('Services user/{uid}/cancel with the blocking method', async () => {
    const { uid, sessions } = await loggedInTwice();
    const r = await post(t.s, t.admin, `user/${uid}/cancel`);
    assert.equal(r.status, 200, r.text);
    await assertLoggedOut(uid, sessions);
  });

  test('Drupal 8 PATCH /user/{uid} with status false', async () => {
    const { uid, sessions } = await loggedInTwice();
    const d8admin = await d8Login(t.s.url, 'admin', 'admin');
    const r = await d8Patch(t.s.url, uid, d8admin, { status: [{ value: false }] });
    assert.equal(r.status, 200, r.text);
    await assertLoggedOut(uid, sessions);
  });

  test('an update that leaves the status alone ends nothing', async () => {
    const { uid, sessions } = await loggedInTwice();
    const r = await put(t.s, t.admin, `user/${uid}`, { timezone: 'UTC' });
    assert.equal(r.status, 200, r.text);
    assert.equal(await rowsOf(uid), 2);
    for (const c of sessions) assert.equal(await connectedUid(c), uid);
  });
});
