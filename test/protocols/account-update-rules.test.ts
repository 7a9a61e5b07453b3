/**
 * Rules of Services' user update (_user_resource_update → user_profile_form → user_save) that the shared
 * recordings do not show:
 * - `roles` becomes the form's value only through entries with a non-empty value: `{}` or `{"3": 0}` leave the
 *   account's roles (and its users.data) as they are, `{"2": "authenticated user"}` clears the others;
 * - the time zone select: default = the stored zone, else the site's zone on one's own account and '' on
 *   another's; '' is an option only on another's account; anything not in the zone list is an illegal choice;
 *   with `configurable_timezones` off there is no select and the stored zone stays;
 * - saving the profile clears the account's failed-login flood events (user_profile_form_submit);
 * - with signatures on, a signature longer than the column (255 characters) is a form error;
 * - a `category` other than 'account' is taken out of the values and the echo, and that form has none of the
 *   account's elements: nothing changes (no current password asked for a new mail, no zone checked).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { call } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { auth, put } from './account-flows.js';
import { type LoggedIn, logIn } from './wire.js';

const ILLEGAL = 'An illegal choice has been detected. Please contact the site administrator.';

describe('PUT user/{uid}: roles, time zone, flood', () => {
  let s: TestServer;
  let admin: LoggedIn;
  before(async () => {
    s = await startTestServer();
    admin = await logIn(s, 'admin', 'admin');
  });
  after(async () => { await s.close(); });

  const get = async (uid: number) => (await call(`${s.url}/rest/user/${uid}`, { headers: auth(admin) })).json;

  test('an empty roles object leaves roles and data as they are; only checked entries count', async () => {
    assert.equal((await put(s, admin, 'user/3', { roles: { 3: 'administrator' } })).status, 200);
    await s.server.store.accounts.update(3, { data: 'a:1:{s:7:"contact";i:1;}' });
    const empty = await put(s, admin, 'user/3', { roles: {} });
    assert.equal(empty.status, 200, empty.text);
    assert.equal(empty.text, '{"roles":[],"uid":"3"}');
    const unchecked = await put(s, admin, 'user/3', { roles: { 3: 0 } });
    assert.equal(unchecked.status, 200, unchecked.text);
    const after1 = await get(3);
    assert.deepEqual(after1.roles, { 2: 'authenticated user', 3: 'administrator' });
    assert.deepEqual(after1.data, { contact: 1 });
    const onlyAuthenticated = await put(s, admin, 'user/3', { roles: { 2: 'authenticated user' } });
    assert.equal(onlyAuthenticated.status, 200, onlyAuthenticated.text);
    assert.deepEqual((await get(3)).roles, { 2: 'authenticated user' });
    const list = await put(s, admin, 'user/3', { roles: [3] });
    assert.equal(list.status, 406, 'a list has key 0, which is no role');
    assert.deepEqual(list.json, { form_errors: { roles: ILLEGAL } });
  });

  test("another account's NULL time zone is shown and saved as ''; one's own gets the site's", async () => {
    assert.equal((await get(4)).timezone, null);
    assert.equal((await put(s, admin, 'user/4', { signature: 'x' })).status, 200);
    assert.equal((await get(4)).timezone, '');
    const alice = await logIn(s, 'alice', 'alicepass');
    assert.equal((await put(s, alice, 'user/2', {})).status, 200);
    assert.equal((await get(2)).timezone, 'UTC');
  });

  test("'' is a choice only on another's account; zones outside the list are illegal", async () => {
    const bob = await logIn(s, 'bob', 'bobpass');
    for (const timezone of ['', 'Mars/Olympus', 'europe/paris', 'US/Eastern', 5]) {
      const r = await put(s, bob, 'user/3', { timezone });
      assert.equal(r.status, 406, `${timezone}: ${r.text}`);
      assert.equal(r.reason, `Not Acceptable : ${ILLEGAL}`);
      assert.deepEqual(r.json, { form_errors: { timezone: ILLEGAL } });
    }
    assert.equal((await put(s, bob, 'user/3', { timezone: 'America/Argentina/Buenos_Aires' })).status, 200);
    assert.equal((await get(3)).timezone, 'America/Argentina/Buenos_Aires');
    assert.equal((await put(s, admin, 'user/3', { timezone: '' })).status, 200);
    assert.equal((await get(3)).timezone, '');
  });

  test('with configurable_timezones off, a submitted zone is ignored and NULL stays NULL', async () => {
    await s.setVariable('configurable_timezones', 0);
    try {
      const created = await call(`${s.url}/rest/user`, { method: 'POST', headers: auth(admin), json: { name: 'tzless', mail: 'tzless@example.com', pass: 'x' } });
      const uid = Number(created.json.uid);
      await s.server.store.accounts.update(uid, { timezone: null });
      assert.equal((await put(s, admin, `user/${uid}`, { timezone: 'Mars/Olympus' })).status, 200);
      assert.equal((await get(uid)).timezone, null);
    } finally {
      await s.server.store.variables.delete('configurable_timezones');
    }
  });

  test("saving the profile clears the account's failed-login events", async () => {
    const login = (password: string) => call(`${s.url}/rest/user/login`, { method: 'POST', json: { username: 'alice', password } });
    for (let i = 0; i < 5; i++) assert.equal((await login('wrong')).status, 401);
    const flooded = await login('alicepass');
    assert.equal(flooded.status, 406);
    assert.equal(flooded.reason, 'Not Acceptable : Account is temporarily blocked.');
    assert.equal((await put(s, admin, 'user/2', {})).status, 200);
    assert.equal((await login('alicepass')).status, 200);
  });

  test('a signature longer than 255 characters is refused; 255 multibyte characters fit', async () => {
    await s.setVariable('user_signatures', 1);
    try {
      const long = await put(s, admin, 'user/3', { signature: { value: 'x'.repeat(256), format: 'filtered_html' } });
      assert.equal(long.status, 406, long.text);
      assert.deepEqual(long.json, { form_errors: { signature: 'The signature is too long: it must be <em class="placeholder">255</em> characters or less.' } });
      const fits = await put(s, admin, 'user/3', { signature: { value: 'é'.repeat(255), format: 'filtered_html' } });
      assert.equal(fits.status, 200, fits.text);
      assert.equal((await get(3)).signature, 'é'.repeat(255));
    } finally {
      await s.server.store.variables.delete('user_signatures');
    }
  });

  test("another category's form changes nothing of the account, and the echo drops category", async () => {
    const alice = await logIn(s, 'alice', 'alicepass');
    const r = await put(s, alice, 'user/2', { category: 'other', mail: 'elsewhere@example.com', timezone: 'Mars/Olympus' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.text, '{"mail":"elsewhere@example.com","timezone":"Mars/Olympus","uid":"2","roles":{"2":"authenticated user"}}');
    const stored = await get(2);
    assert.equal(stored.mail, 'alice@example.com');
    assert.notEqual(stored.timezone, 'Mars/Olympus');
    const account = await put(s, alice, 'user/2', { category: 'account', mail: 'elsewhere@example.com' });
    assert.equal(account.status, 406, 'the account category asks for the current password');
  });
});
