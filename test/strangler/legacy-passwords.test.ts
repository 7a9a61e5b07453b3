// Strangler mode, passwords: every hash Gatehouse writes to the legacy `users.pass` is one Drupal 7's own
// user_check_password() verifies (a stand-in written from includes/password.inc checks the legacy row), at
// the site's password_count_log2; and a hash Drupal changed on its own pages wins at the next login.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AccountAdmin } from '../../src/core/accounts/account-admin.js';
import { createFastTestHasher } from '../../src/core/passwords/password-hasher.js';
import { call } from '../helpers/http.js';
import { FormBrowser, formTokenIn } from '../mail/form-browser.js';
import { resetLinkIn } from '../mail/mail-http-server.js';
import { drupal7CheckPassword, drupal7CountLog2, drupal7HashPassword } from './drupal7-password-rules.js';
import { rows } from './legacy-site.js';
import { useStranglerRig } from './strangler-server.js';

describe('strangler mode: the hashes written to the legacy users table are Drupal 7 hashes', () => {
  const rig = useStranglerRig('pass');
  const legacyPass = async (uid: number): Promise<string> => String((await rows(rig.legacy, 'SELECT pass FROM users WHERE uid = ?', [uid]))[0]?.pass);
  /** The legacy row verifies `password` by Drupal's rules, at Drupal's default count, and not `not`. */
  const verifiesOnDrupal = async (uid: number, password: string, not?: string) => {
    const pass = await legacyPass(uid);
    assert.ok(drupal7CheckPassword(password, pass), `Drupal 7 accepts the password over the legacy row (${pass})`);
    assert.equal(drupal7CountLog2(pass), 15, 'the site has no password_count_log2: Drupal\'s 15');
    if (not !== undefined) assert.equal(drupal7CheckPassword(not, pass), false, 'the old password no longer verifies on Drupal');
  };
  const login = (name: string, password: string) => call(`${rig.gate.url}/api/user/login`, { method: 'POST', json: { username: name, password } });
  const session = async (name: string, password: string) => {
    const res = await login(name, password);
    assert.equal(res.status, 200, res.text);
    return { cookie: `${res.json.session_name}=${res.json.sessid}`, 'x-csrf-token': String(res.json.token) };
  };
  let admin: Record<string, string>;
  let uid = 0;

  it('register and an administrator\'s create', async () => {
    const reg = await call(`${rig.gate.url}/api/user/register`, { method: 'POST', json: { name: 'hash_hana', mail: 'hana@example.test', pass: 'hana-pass-1' } });
    assert.equal(reg.status, 200, reg.text);
    uid = Number(reg.json.uid);
    await verifiesOnDrupal(uid, 'hana-pass-1');

    const boss = await new AccountAdmin(rig.gate.server.core).add({ name: 'hash_boss', mail: 'boss@example.test', password: 'boss-pass-1', roles: ['administrator'] });
    await verifiesOnDrupal(boss.uid, 'boss-pass-1');
    admin = await session('hash_boss', 'boss-pass-1');
    const created = await call(`${rig.gate.url}/api/user`, { method: 'POST', headers: admin, json: { name: 'hash_carl', mail: 'carl@example.test', pass: 'carl-pass-1', status: 1 } });
    assert.equal(created.status, 200, created.text);
    await verifiesOnDrupal(Number(created.json.uid), 'carl-pass-1');
  });

  it('the account\'s own change and an administrator\'s change', async () => {
    const own = await session('hash_hana', 'hana-pass-1');
    const changed = await call(`${rig.gate.url}/api/user/${uid}`, { method: 'PUT', headers: own, json: { current_pass: 'hana-pass-1', pass: 'hana-pass-2' } });
    assert.equal(changed.status, 200, changed.text);
    await verifiesOnDrupal(uid, 'hana-pass-2', 'hana-pass-1');

    const set = await call(`${rig.gate.url}/api/user/${uid}`, { method: 'PUT', headers: admin, json: { pass: 'hana-pass-3' } });
    assert.equal(set.status, 200, set.text);
    await verifiesOnDrupal(uid, 'hana-pass-3', 'hana-pass-2');
  });

  it('a change through a one-time login link (the reset page)', async () => {
    const asked = await call(`${rig.gate.url}/api/user/request_new_password`, { method: 'POST', json: { name: 'hash_hana' } });
    assert.equal(asked.status, 200, asked.text);
    const mail = (await rig.gate.mails()).filter((m) => m.to === 'hana@example.test').at(-1);
    const link = resetLinkIn(String(mail?.body));
    const browser = new FormBrowser();
    const page = await browser.get(link);
    assert.equal(page.status, 200, page.html);
    const done = await browser.post(link, { form_token: formTokenIn(page.html), pass1: 'hana-pass-4', pass2: 'hana-pass-4' });
    assert.equal(done.status, 200, done.html);
    await verifiesOnDrupal(uid, 'hana-pass-4', 'hana-pass-3');
  });

  it('a login rehashes what Drupal cannot verify (an argon2id written before the fix) as $S$', async () => {
    // A password with spaces around it (possible before Drupal 7 trimmed on save): user_save() hashes it trimmed.
    const argon = await createFastTestHasher().hash(' hana-pass-5 ');
    await rig.gate.server.database.db.updateTable('users').set({ pass: argon }).where('uid', '=', uid).execute();
    await rig.legacy.db.query('UPDATE users SET pass = ? WHERE uid = ?', [argon, uid]);
    assert.equal(drupal7CheckPassword(' hana-pass-5 ', await legacyPass(uid)), false, 'Drupal refuses the argon2id row');
    await session('hash_hana', ' hana-pass-5 ');
    await verifiesOnDrupal(uid, 'hana-pass-5', ' hana-pass-5 ');
    await session('hash_hana', 'hana-pass-5');
  });

  it('a login rehashes a $S$ of another count at the site\'s count', async () => {
    const weak = drupal7HashPassword('hana-pass-6', 9);
    await rig.gate.server.database.db.updateTable('users').set({ pass: weak }).where('uid', '=', uid).execute();
    await rig.legacy.db.query('UPDATE users SET pass = ? WHERE uid = ?', [weak, uid]);
    await session('hash_hana', 'hana-pass-6');
    await verifiesOnDrupal(uid, 'hana-pass-6');
  });

  it('a password changed on Drupal\'s own pages wins at the next login; the old one no longer logs in', async () => {
    await rig.legacy.db.query('UPDATE users SET pass = ? WHERE uid = ?', [drupal7HashPassword('set-on-drupal-7', 15), uid]);
    assert.equal((await login('hash_hana', 'hana-pass-6')).status, 401);
    await session('hash_hana', 'set-on-drupal-7');
    assert.equal((await login('hash_hana', 'hana-pass-6')).status, 401, 'still refused once Gatehouse took the legacy hash over');
    const local = await rig.gate.server.database.db.selectFrom('users').select('pass').where('uid', '=', uid).executeTakeFirstOrThrow();
    assert.equal(local.pass, await legacyPass(uid));
  });

  it('an account Drupal changed before Gatehouse ever wrote its hash: the legacy hash wins too', async () => {
    // Site B's alice (uid 2), copied as an import would, then changed on Drupal.
    const [alice] = await rows(rig.legacy, 'SELECT * FROM users WHERE uid = 2');
    await new AccountAdmin(rig.gate.server.core).add({ uid: 2, name: 'alice', mail: String(alice.mail), password: 'alice-old-1' });
    await rig.gate.server.database.db.updateTable('users').set({ pass: String(alice.pass) }).where('uid', '=', 2).execute();
    await rig.legacy.db.query('UPDATE users SET pass = ? WHERE uid = 2', [drupal7HashPassword('alice-on-drupal', 15)]);
    await session('alice', 'alice-on-drupal');
  });

  it('a legacy database that does not answer leaves Gatehouse\'s hash standing after the timeout', async () => {
    const account = (await rig.gate.server.store.accounts.byUid(uid))!;
    const lock = await rig.legacy.db.getConnection();
    try {
      await lock.query('LOCK TABLES users WRITE');
      await rig.legacy.db.query('SELECT 1');
      assert.deepEqual(await rig.gate.server.legacy!.passwords.atLogin(account), account);
    } finally {
      await lock.query('UNLOCK TABLES');
      lock.release();
    }
  });
});
