/**
 * The operator's console over HTTP: people search (prefix on name or e-mail), role/status filters, keyset
 * paging, bulk block/unblock/role changes/cancel, create and edit any account, sessions per account and
 * site-wide, flood unblock, outbox retry.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AccountAdmin } from '../../../src/core/accounts/account-admin.js';
import { startTestServer, type TestServer } from '../../helpers/test-server.js';
import { PageClient } from './page-client.js';

let server: TestServer;
let admin: PageClient;

async function loggedIn(name: string, pass: string): Promise<PageClient> {
  const c = new PageClient(server.url);
  const res = await c.submit('/user/login', 'user-login', { name, pass });
  assert.equal(res.status, 303, `login of ${name} failed`);
  return c;
}
const uidOf = async (name: string) => (await server.server.store.accounts.byName(name, '='))!.uid;
const listed = (html: string) => [...html.matchAll(/<label for="account-\d+">([^<]+)<\/label>/g)].map((m) => m[1]);

before(async () => {
  server = await startTestServer();
  const accounts = new AccountAdmin(server.server.core);
  for (let i = 0; i < 55; i++) await accounts.add({ name: `member${String(i).padStart(2, '0')}`, mail: `m${i}@members.example`, password: 'pw' });
  admin = await loggedIn('admin', 'admin');
});
after(async () => { await server?.close(); });

describe('people list', () => {
  it('prefix search on name and on e-mail, case-insensitively', async () => {
    assert.deepEqual(listed((await admin.get('/admin/people?q=ALI')).text), ['alice']);
    assert.deepEqual(listed((await admin.get('/admin/people?q=m5')).text), ['member54', 'member53', 'member52', 'member51', 'member50', 'member05']);
    assert.deepEqual(listed((await admin.get('/admin/people?q=zzz')).text), []);
  });

  it('filters by status and by role', async () => {
    assert.deepEqual(listed((await admin.get('/admin/people?status=0')).text), ['carol']);
    const rid = (await server.server.store.roles.all()).find((r) => r.name === 'administrator')!.rid;
    assert.deepEqual(listed((await admin.get(`/admin/people?role=${rid}`)).text), ['admin']);
  });

  it('keyset paging: 50 a page, the next page continues after the last uid', async () => {
    const first = await admin.get('/admin/people');
    const names = listed(first.text);
    assert.equal(names.length, 50);
    const next = /href="([^"]+)" id="next-page"/.exec(first.text);
    assert.ok(next?.[1], 'a next page link');
    const second = listed((await admin.get(next[1].replace(/&amp;/g, '&'))).text);
    assert.equal(second.length, 59 - 50);
    assert.equal(new Set([...names, ...second]).size, 59);
  });
});

describe('people list sorted', () => {
  /** Every name the list shows, following its next-page links to the end. */
  async function allPages(path: string): Promise<string[]> {
    const names: string[] = [];
    for (let url: string | null = path; url !== null;) {
      const page = await admin.get(url);
      assert.equal(page.status, 200);
      names.push(...listed(page.text));
      const next = /href="([^"]+)" id="next-page"/.exec(page.text);
      url = next ? next[1].replace(/&amp;/g, '&') : null;
    }
    return names;
  }
  const stored = () => server.server.database.db.selectFrom('users').select(['uid', 'name', 'name_key', 'access']).where('uid', '>', 0).execute();

  it('by username, then by last access (latest first), across pages', async () => {
    const byName = (await stored()).sort((a, b) => (a.name_key! < b.name_key! ? -1 : 1)).map((r) => r.name);
    assert.deepEqual(await allPages('/admin/people?sort=name'), byName);
    // Some accounts seen lately, two of them at the same second (the uid breaks the tie, newest first).
    for (const [name, access] of [['member20', 1_800_000_300], ['member21', 1_800_000_300], ['member22', 1_800_000_100], ['bob', 1_800_000_200]] as const) {
      await server.server.store.accounts.update(await uidOf(name), { access });
    }
    const byAccess = (await stored()).sort((a, b) => Number(b.access) - Number(a.access) || b.uid - a.uid).map((r) => r.name);
    assert.deepEqual(byAccess.slice(0, 4), ['member21', 'member20', 'bob', 'member22']);
    const page = await admin.get('/admin/people?sort=access');
    assert.match(page.text, /<option value="access" selected>Last access \(latest first\)<\/option>/);
    assert.deepEqual(await allPages('/admin/people?sort=access'), byAccess);
    // A prefix search keeps the order it is given.
    assert.deepEqual(listed((await admin.get('/admin/people?q=member2&sort=access')).text).slice(0, 3), ['member21', 'member20', 'member22']);
    // A cursor that is not one of the sort's reads as the first page.
    assert.deepEqual(listed((await admin.get('/admin/people?sort=access&after=nonsense')).text), byAccess.slice(0, 50));
  });
});

describe('bulk operations', () => {
  it('block ends the account\'s sessions and refuses its login; unblock lets it in again', async () => {
    const member = await loggedIn('member01', 'pw');
    const uid = await uidOf('member01');
    const res = await admin.submit('/admin/people', 'user-admin-account', { operation: 'block', accounts: [String(uid)] });
    assert.equal(res.status, 303);
    assert.match((await admin.get('/admin/people?q=member01')).text, /blocked/);
    assert.equal((await member.get('/user/sessions')).status, 403);
    const refused = await new PageClient(server.url).submit('/user/login', 'user-login', { name: 'member01', pass: 'pw' });
    assert.match(refused.text, /has not been activated or is blocked/);
    await admin.submit('/admin/people', 'user-admin-account', { operation: 'unblock', accounts: [String(uid)] });
    await loggedIn('member01', 'pw');
  });

  it('adds and removes a role on several accounts', async () => {
    const rid = (await server.server.store.roles.all()).find((r) => r.name === 'administrator')!.rid;
    const uids = [await uidOf('member02'), await uidOf('member03')];
    await admin.submit('/admin/people', 'user-admin-account', { operation: `add_role-${rid}`, accounts: uids.map(String) });
    for (const uid of uids) assert.deepEqual(await server.server.store.roles.rolesOf(uid), [rid]);
    await admin.submit('/admin/people', 'user-admin-account', { operation: `remove_role-${rid}`, accounts: uids.map(String) });
    for (const uid of uids) assert.deepEqual(await server.server.store.roles.rolesOf(uid), []);
  });

  it('cancel with a chosen method: delete removes the account; uid 1 cannot be cancelled', async () => {
    const uid = await uidOf('member04');
    const res = await admin.submit('/admin/people', 'user-admin-account', { operation: 'cancel', cancel_method: 'user_cancel_delete', accounts: [String(uid)] });
    assert.equal(res.status, 303);
    assert.match((await admin.get('/admin/people')).text, /member04<\/em> has been deleted\./);
    assert.equal(await server.server.store.accounts.byUid(uid), undefined);
    await admin.submit('/admin/people', 'user-admin-account', { operation: 'cancel', accounts: ['1'] });
    assert.match((await admin.get('/admin/people')).text, /The admin user cannot be canceled\./);
    const blockUid = await uidOf('member05');
    await admin.submit('/admin/people', 'user-admin-account', { operation: 'cancel', cancel_method: 'user_cancel_block', accounts: [String(blockUid)] });
    assert.equal((await server.server.store.accounts.byUid(blockUid))?.status, 0);
  });
});

describe('create and edit any account', () => {
  it('creates an account with a role and edits another account\'s name and status', async () => {
    const rid = (await server.server.store.roles.all()).find((r) => r.name === 'administrator')!.rid;
    const res = await admin.submit('/admin/people/create', 'user-register-admin', { name: 'newbie', mail: 'newbie@example.com', pass1: 'np', pass2: 'np', status: '1', roles: [String(rid)] });
    assert.equal(res.status, 303);
    assert.match((await admin.get('/admin/people')).text, /Created a new user account for/);
    const uid = await uidOf('newbie');
    assert.deepEqual(await server.server.store.roles.rolesOf(uid), [rid]);
    const dup = await admin.submit('/admin/people/create', 'user-register-admin', { name: 'newbie', mail: 'x@example.com', pass1: 'np', pass2: 'np' });
    assert.match(dup.text, /is already taken/);
    const edit = await admin.submit(`/user/${uid}/edit`, 'user-profile-form', { name: 'newbie2', mail: 'newbie@example.com', status: '0', roles_shown: '1', timezone: '' });
    assert.equal(edit.status, 303);
    const after = await server.server.store.accounts.byUid(uid);
    assert.equal(after?.name, 'newbie2');
    assert.equal(after?.status, 0);
    assert.deepEqual(await server.server.store.roles.rolesOf(uid), [], 'no box checked: no roles');
  });
});

describe('sessions, flood, mail', () => {
  it('lists an account\'s sessions and ends them all', async () => {
    const b1 = await loggedIn('member06', 'pw');
    const uid = await uidOf('member06');
    const page = await admin.get(`/admin/people/sessions?uid=${uid}`);
    assert.match(page.text, /Sessions of member06/);
    assert.match(page.text, /Firefox 128 on Linux/);
    await admin.submit(`/admin/people/sessions?uid=${uid}`, 'end-account-sessions', { op: 'account', uid: String(uid) });
    assert.equal((await b1.get('/user/sessions')).status, 403);
    assert.equal((await admin.get('/admin/people/sessions')).status, 200, 'the administrator\'s own session stays');
  });

  it('site-wide: ends every session but the administrator\'s', async () => {
    const b1 = await loggedIn('member07', 'pw');
    const b2 = await loggedIn('alice', 'alicepass');
    await admin.submit('/admin/people/sessions', 'end-all-sessions', { op: 'all' });
    assert.equal((await b1.get('/user/sessions')).status, 403);
    assert.equal((await b2.get('/user/sessions')).status, 403);
    assert.equal((await admin.get('/admin/people/sessions')).status, 200);
  });

  it('flood: a blocked account is unblocked from the console', async () => {
    await server.setVariable('user_failed_login_user_limit', 2);
    try {
      const c = new PageClient(server.url);
      for (let i = 0; i < 2; i++) await c.submit('/user/login', 'user-login', { name: 'member08', pass: 'bad' });
      assert.match((await c.submit('/user/login', 'user-login', { name: 'member08', pass: 'pw' })).text, /Account is temporarily blocked/);
      const page = await admin.get('/admin/people/flood');
      const uid = await uidOf('member08');
      const fid = new RegExp(`failed_login_attempt_user</td><td>${uid}-127\\.0\\.0\\.1</td>.*?id="unblock-(\\d+)"`, 's').exec(page.text)?.[1];
      assert.ok(fid, 'the account\'s flood event is listed');
      assert.equal((await admin.submit('/admin/people/flood', `unblock-${fid}`, { fid })).status, 303);
      assert.equal((await c.submit('/user/login', 'user-login', { name: 'member08', pass: 'pw' })).status, 303);
    } finally {
      await server.setVariable('user_failed_login_user_limit', 5);
    }
  });

  it('mail: a dead mail is shown with its text and retried', async () => {
    await new PageClient(server.url).submit('/user/password', 'user-pass', { name: 'member09' });
    const db = server.server.database.db;
    const row = await db.selectFrom('outbox').select(['id']).orderBy('id', 'desc').executeTakeFirstOrThrow();
    await db.updateTable('outbox').set({ status: 'dead', attempts: 5, last_error: 'connection refused' }).where('id', '=', row.id).execute();
    const page = await admin.get('/admin/mail?status=dead');
    assert.match(page.text, /connection refused/);
    assert.match(page.text, /\/user\/reset\//);
    assert.equal((await admin.submit('/admin/mail?status=dead', `retry-${row.id}`, { id: String(row.id) })).status, 303);
    const after = await db.selectFrom('outbox').select(['status', 'attempts']).where('id', '=', row.id).executeTakeFirstOrThrow();
    assert.deepEqual({ status: after.status, attempts: Number(after.attempts) }, { status: 'pending', attempts: 0 });
  });
});
