import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { call } from '../../helpers/http.js';
import { startTestServer, type TestServer } from '../../helpers/test-server.js';
import { d8Login, d8Patch, type D8Session } from './d8-client.js';

describe('Drupal 8+ GET|PATCH|DELETE /user/{uid}', () => {
  let s: TestServer;
  let uidOf: Record<string, number>;
  before(async () => {
    s = await startTestServer({ preset: 'peer' });
    uidOf = {};
    for (const name of ['admin', 'alice', 'bob', 'carol']) uidOf[name] = (await s.server.store.accounts.byName(name, '='))!.uid;
  });
  after(async () => { await s.close(); });
  const get = (uid: number | string, session?: D8Session) => call(`${s.url}/user/${uid}?_format=json`, { headers: session ? { cookie: session.cookie } : {} });

  test('GET: the owner sees mail and timezone, not status or roles; never pass', async () => {
    const alice = await d8Login(s.url, 'alice', 'alicepass');
    const r = await get(uidOf.alice, alice);
    assert.equal(r.status, 200);
    assert.deepEqual(r.json.uid, [{ value: uidOf.alice }]);
    assert.deepEqual(r.json.name, [{ value: 'alice' }]);
    assert.deepEqual(r.json.mail, [{ value: 'alice@example.com' }]);
    assert.ok('timezone' in r.json);
    for (const hidden of ['pass', 'status', 'roles', 'access', 'login', 'init']) assert.ok(!(hidden in r.json), hidden);
    assert.match(r.json.created[0].value, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/);
    assert.equal(r.json.created[0].format, 'Y-m-d\\TH:i:sP');
  });

  test('GET: an administrator sees status, roles (machine names) and the timestamps; others need access user profiles', async () => {
    const admin = await d8Login(s.url, 'admin', 'admin');
    const r = await get(uidOf.carol, admin);
    assert.equal(r.status, 200);
    assert.deepEqual(r.json.status, [{ value: false }]);
    assert.deepEqual(r.json.roles, []);
    const own = await get(uidOf.admin, admin);
    assert.deepEqual(own.json.roles, [{ target_id: 'administrator', target_type: 'user_role' }]);
    const bob = await d8Login(s.url, 'bob', 'bobpass');
    const denied = await get(uidOf.alice, bob);
    assert.equal(denied.status, 403);
    assert.equal(denied.json.message, "The 'access user profiles' permission is required and the user must be active.");
    await s.server.store.roles.grant(2, ['access user profiles']);
    try {
      const other = await get(uidOf.alice, bob);
      assert.equal(other.status, 200);
      assert.ok(!('mail' in other.json));
      assert.ok(!('timezone' in other.json));
      assert.equal((await get(uidOf.carol, bob)).status, 403, 'a blocked account is not shown');
    } finally {
      await s.server.database.db.deleteFrom('role_permission').where('rid', '=', 2).where('permission', '=', 'access user profiles').execute();
    }
  });

  test('GET: an unknown uid is the converter\'s 404; uid 0 is forbidden', async () => {
    const admin = await d8Login(s.url, 'admin', 'admin');
    const missing = await get(999, admin);
    assert.equal(missing.status, 404);
    assert.equal(missing.json.message, 'The "user" parameter was not converted for the path "/user/{user}" (route name: "rest.entity.user.GET")');
    assert.equal(missing.text.includes('\\/user\\/{user}'), true, 'slashes escaped as PHP does');
    assert.equal((await get('abc', admin)).status, 404);
    assert.equal((await get(0, admin)).status, 403);
  });

  test('PATCH: X-CSRF-Token missing or invalid; the rest key token is accepted too', async () => {
    const alice = await d8Login(s.url, 'alice', 'alicepass');
    const missing = await d8Patch(s.url, uidOf.alice, { cookie: alice.cookie, csrf: null }, { timezone: [{ value: 'UTC' }] });
    assert.equal(missing.status, 403);
    assert.equal(missing.json.message, 'X-CSRF-Token request header is missing');
    const invalid = await d8Patch(s.url, uidOf.alice, { cookie: alice.cookie, csrf: 'nope' }, { timezone: [{ value: 'UTC' }] });
    assert.equal(invalid.json.message, 'X-CSRF-Token request header is invalid');
    const ok = await d8Patch(s.url, uidOf.alice, alice, { timezone: [{ value: 'Europe/Berlin' }] });
    assert.equal(ok.status, 200);
    assert.deepEqual(ok.json.timezone, [{ value: 'Europe/Berlin' }]);
  });

  test('PATCH: field access — name without change own username, roles and status for non-admins; unchanged values pass', async () => {
    const bob = await d8Login(s.url, 'bob', 'bobpass');
    const name = await d8Patch(s.url, uidOf.bob, bob, { name: [{ value: 'robert' }] });
    assert.equal(name.status, 403);
    assert.equal(name.json.message, "Access denied on updating field 'name'.");
    const roles = await d8Patch(s.url, uidOf.bob, bob, { roles: [{ target_id: 'administrator' }] });
    assert.equal(roles.json.message, "Access denied on updating field 'roles'.");
    const status = await d8Patch(s.url, uidOf.bob, bob, { status: [{ value: true }] });
    assert.equal(status.json.message, "Access denied on updating field 'status'.");
    const same = await d8Patch(s.url, uidOf.bob, bob, { uid: [{ value: uidOf.bob }], name: [{ value: 'bob' }], timezone: [{ value: 'UTC' }] });
    assert.equal(same.status, 200, same.text);
    const other = await d8Patch(s.url, uidOf.alice, bob, { timezone: [{ value: 'UTC' }] });
    assert.equal(other.status, 403);
    assert.equal(other.json.message, "Users can only update their own account, unless they have the 'administer users' permission.");
    const unknown = await d8Patch(s.url, uidOf.bob, bob, { field_nope: [{ value: 1 }] });
    assert.equal(unknown.status, 422);
    const empty = await d8Patch(s.url, uidOf.bob, bob, {});
    assert.equal(empty.status, 400);
    assert.equal(empty.json.message, 'No entity content received.');
  });

  test('PATCH: mail and pass of one\'s own account need pass.existing; with it the new password logs in', async () => {
    const bob = await d8Login(s.url, 'bob', 'bobpass');
    const noExisting = await d8Patch(s.url, uidOf.bob, bob, { mail: [{ value: 'bob2@example.com' }] });
    assert.equal(noExisting.status, 422);
    assert.equal(noExisting.json.message, "Unprocessable Entity: validation failed.\nmail: Your current password is missing or incorrect; it's required to change the Email.\n");
    const wrong = await d8Patch(s.url, uidOf.bob, bob, { pass: [{ existing: 'nope', value: 'newpass' }] });
    assert.equal(wrong.json.message, "Unprocessable Entity: validation failed.\npass: Your current password is missing or incorrect; it's required to change the Password.\n");
    const ok = await d8Patch(s.url, uidOf.bob, bob, { pass: [{ existing: 'bobpass', value: 'newpass' }] });
    assert.equal(ok.status, 200, ok.text);
    assert.ok(!('pass' in ok.json));
    await d8Login(s.url, 'bob', 'newpass');
    const taken = await d8Patch(s.url, uidOf.bob, bob, { mail: [{ value: 'alice@example.com' }], pass: [{ existing: 'newpass' }] });
    assert.equal(taken.status, 422);
    assert.match(taken.json.message, /^Unprocessable Entity: validation failed\.\nmail: The email address alice@example\.com is already taken\.\n$/);
  });

  test('PATCH by an administrator: status and roles', async () => {
    const admin = await d8Login(s.url, 'admin', 'admin');
    const r = await d8Patch(s.url, uidOf.carol, admin, { status: [{ value: true }], roles: [{ target_id: 'administrator' }] });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json.status, [{ value: true }]);
    assert.deepEqual(r.json.roles, [{ target_id: 'administrator', target_type: 'user_role' }]);
    const bad = await d8Patch(s.url, uidOf.carol, admin, { roles: [{ target_id: 'nosuchrole' }] });
    assert.equal(bad.status, 422);
    const back = await d8Patch(s.url, uidOf.carol, admin, { status: [{ value: false }], roles: [] });
    assert.equal(back.status, 200, back.text);
  });

  test('DELETE: own account only with cancel account; administrators; then the account and its sessions are gone', async () => {
    const made = await s.server.store.accounts.byName('bob', '=');
    assert.ok(made);
    const admin = await d8Login(s.url, 'admin', 'admin');
    const create = await call(`${s.url}/rest/user.json`, { method: 'POST', headers: { cookie: admin.login.setCookies[0].split(';')[0], 'X-CSRF-Token': (await call(`${s.url}/services/session/token`, { headers: { cookie: admin.cookie } })).text }, json: { name: 'dave', mail: 'dave@example.com', pass: 'davepass', status: 1 } });
    assert.equal(create.status, 200, create.text);
    const dave = await d8Login(s.url, 'dave', 'davepass');
    const uid = Number(dave.login.json.current_user.uid);
    const denied = await call(`${s.url}/user/${uid}?_format=json`, { method: 'DELETE', headers: { cookie: dave.cookie, 'X-CSRF-Token': dave.csrf } });
    assert.equal(denied.status, 403);
    assert.equal(denied.json.message, 'You are not authorized to delete this user entity.');
    const noToken = await call(`${s.url}/user/${uid}?_format=json`, { method: 'DELETE', headers: { cookie: admin.cookie } });
    assert.equal(noToken.json.message, 'X-CSRF-Token request header is missing');
    const ok = await call(`${s.url}/user/${uid}?_format=json`, { method: 'DELETE', headers: { cookie: admin.cookie, 'X-CSRF-Token': admin.csrf } });
    assert.equal(ok.status, 204);
    assert.equal(await s.server.store.accounts.byUid(uid), undefined);
    assert.equal((await call(`${s.url}/user/login_status?_format=json`, { headers: { cookie: dave.cookie } })).text, '0');
  });
});
