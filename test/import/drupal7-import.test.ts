/**
 * A Drupal 7 site built in MariaDB (every hash kind, blocked user, roles, permissions, plain-id sessions,
 * messy rows), imported into Gatehouse, then used over HTTP: logins with the original passwords (hash
 * upgraded to argon2id), an imported session cookie with its old CSRF token, a re-run that changes nothing.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import bcrypt from 'bcryptjs';
import { sessionCookieName } from '../../src/core/crypto/cookie-name.js';
import { hmacBase64 } from '../../src/core/crypto/hmac.js';
import { passwordCrypt } from '../../src/core/passwords/drupal-hash.js';
import { importDrupal7 } from '../../src/import/drupal7/import-drupal7.js';
import { openSource, type SourceDb } from '../../src/import/drupal7/source.js';
import { openImportTarget } from '../../src/import/drupal7/target.js';
import { call } from '../helpers/http.js';
import { DRUPAL7_SCHEMA, USER_INSERT, userRow } from './helpers/drupal7-schema.js';
import { startImportedServer } from './helpers/imported-server.js';
import { createScratchDb, type ScratchDb } from './helpers/mariadb.js';

const NOW = 1_700_000_000;
const PRIVATE_KEY = 'pk-Zq3vX1yB7nR2mK9sT4wL6pH8cD0fG5jA-1234567';
const HASH_SALT = 'salt-9kT2mW7qR4vX1nB8cZ5pL3hD6fJ0sG-abcdefgh';
const md5hex = (s: string) => createHash('md5').update(s).digest('hex');

const PASSWORDS: Record<string, string> = { admin: 'admin-pass-S', bob: 'bob-pass-H', carol: 'carol-pass-P', dave: 'dave-pass-U', erin: 'erin-pass-2y', frank: 'frank-pass' };
const HASHES: Record<string, string> = {
  admin: passwordCrypt('sha512', PASSWORDS.admin, '$S$Dabcdefgh') as string,
  bob: passwordCrypt('md5', PASSWORDS.bob, '$H$9bobsalt1') as string,
  carol: passwordCrypt('md5', PASSWORDS.carol, '$P$Bcarolslt') as string,
  dave: 'U' + (passwordCrypt('sha512', md5hex(PASSWORDS.dave), '$S$Cdavesalt') as string),
  erin: bcrypt.hashSync(PASSWORDS.erin, 8).replace(/^\$2b\$/, '$2y$'),
  frank: passwordCrypt('sha512', PASSWORDS.frank, '$S$Dfranksal') as string,
};
const RAW_SID = { bob: 'BobRawSessionId-0123456789abcdefghijklmnopq', erin: 'ErinRawSessionId-0123456789abcdefghijklmnop' };

let mariadb: ScratchDb;
let dir: string;

before(async () => {
  mariadb = await createScratchDb();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gh-import-'));
  await mariadb.exec(DRUPAL7_SCHEMA);
  const s = (v: string) => `s:${Buffer.byteLength(v)}:"${v}";`;
  await mariadb.exec('INSERT INTO variable (name, value) VALUES ?', [[
    ['site_name', s('Old Site')], ['site_mail', s('noreply@old.test')], ['user_register', 'i:1;'], ['user_email_verification', 'b:0;'],
    ['drupal_private_key', s(PRIVATE_KEY)], ['user_mail_register_no_approval_required_subject', s('Welcome to [site:name]')],
    ['theme_default', s('bartik')], ['user_cancel_method', 'broken-serialization'],
  ]]);
  await mariadb.exec('INSERT INTO role (rid, name, weight) VALUES ?', [[[1, 'anonymous user', 0], [2, 'authenticated user', 1], [3, 'administrator', 2], [4, 'editor', 3], [6, 'member', 4]]]);
  await mariadb.exec('INSERT INTO role_permission (rid, permission, module) VALUES ?', [[
    [2, 'access user profiles', 'user'], [4, 'administer users', 'user'], [4, 'fly spaceships', 'custom'], [6, 'change own username', 'user'], [9, 'ghost permission', 'x'],
  ]]);
  const users = [
    { uid: 0, name: '', pass: '', mail: '' },
    { uid: 1, name: 'admin', pass: HASHES.admin, mail: 'admin@old.test', login: 1690000000, access: 1690000000 },
    { uid: 2, name: 'bob', pass: HASHES.bob, mail: 'bob@old.test', language: 'fr', data: 'a:1:{s:3:"app";a:1:{s:7:"version";s:3:"2.1";}}' },
    { uid: 3, name: 'carol', pass: HASHES.carol, mail: 'Admin@OLD.test' },
    { uid: 4, name: 'dave', pass: HASHES.dave, mail: 'dave@old.test', timezone: null },
    { uid: 5, name: 'erin', pass: HASHES.erin, mail: 'erin@old.test', picture: 7 },
    { uid: 6, name: 'frank', pass: HASHES.frank, mail: 'frank@old.test', status: 0 },
    { uid: 7, name: 'Grace', pass: HASHES.frank, mail: 'grace@old.test' },
    { uid: 8, name: 'grace', pass: HASHES.frank, mail: '' },
    { uid: 9, name: 'bad  name', pass: '5f4dcc3b5aa765d61d8327deb882cf99', mail: 'not-a-mail', data: 'a:1:{broken' },
  ];
  await mariadb.exec(USER_INSERT, [users.map(userRow)]);
  // db_next_id() gave out uids up to 15; the accounts 10–15 were deleted since.
  await mariadb.exec('INSERT INTO sequences (value) VALUES (15)');
  await mariadb.exec('INSERT INTO users_roles (uid, rid) VALUES ?', [[[1, 3], [2, 6], [4, 4], [5, 6], [5, 4], [6, 6], [2, 5], [99, 4]]]);
  await mariadb.exec('INSERT INTO sessions (uid, sid, ssid, hostname, timestamp, cache, session) VALUES ?', [[
    [2, RAW_SID.bob, '', '10.0.0.2', NOW - 3600, 0, ''],
    [5, RAW_SID.erin, '', '10.0.0.5', NOW - 60, 0, 'messages|a:0:{}'],
    [99, 'OrphanSessionId-0123456789abcdefghijklmnopqr', '', '10.0.0.9', NOW, 0, ''],
  ]]);
});

after(async () => {
  await mariadb?.drop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

async function runImport(targetUrl: string, dryRun = false) {
  const source: SourceDb = await openSource(mariadb.url);
  const target = await openImportTarget(targetUrl);
  try {
    return await importDrupal7({ source, target, options: { hashSalt: HASH_SALT, dryRun, batchSize: 3 } });
  } finally {
    await target.close();
    await source.close();
  }
}

test('a dry run reports everything and writes nothing', async () => {
  const url = `sqlite:${path.join(dir, 'dry.sqlite')}`;
  const report = await runImport(url, true);
  assert.equal(report.tally('users').imported, 9);
  const target = await openImportTarget(url);
  const { n } = await target.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  await target.close();
  assert.equal(Number(n), 1, 'only the anonymous row');
});

test('import, re-run, then log in, use an imported session and its token over HTTP', async () => {
  const url = `sqlite:${path.join(dir, 'gatehouse.sqlite')}`;
  const report = await runImport(url);
  assert.deepEqual(report.tally('users'), { imported: 9, updated: 0, unchanged: 0, removed: 0, skipped: 1 });
  // The baseline administrator's 7 permissions give way to the site's (none here).
  assert.deepEqual(report.tally('role_permission'), { imported: 4, updated: 0, unchanged: 0, removed: 7, skipped: 1 });
  assert.equal(report.tally('sessions').imported, 2);
  const reasons = report.issues.map((i) => `${i.severity} ${i.table} ${i.row}: ${i.reason}`).join('\n');
  assert.match(reasons, /error users_roles uid=2 rid=5: role 5 does not exist/);
  assert.match(reasons, /error users_roles 1 rows: .*not imported/);
  assert.match(reasons, /error sessions uid=99 .*account 99 was not imported/);
  assert.match(reasons, /error role_permission rid=9 /);
  assert.match(reasons, /error variable name=user_cancel_method: value does not unserialize/);
  // users.name is utf8mb3_bin on this site: Grace and grace are two names, as they were there; mail is general_ci.
  assert.doesNotMatch(reasons, /uid=8: name "grace" equals/);
  assert.match(reasons, /warning users uid=8: empty mail/);
  assert.match(reasons, /warning users uid=3: mail "Admin@OLD.test" equals uid 1's/);
  assert.match(reasons, /warning users uid=9: name "bad  name" would be refused today/);
  assert.match(reasons, /warning users uid=9: password hash of an unknown kind/);
  assert.match(reasons, /warning users uid=9: users.data does not unserialize/);

  const target = await openImportTarget(url);
  try {
    const collation = await target.db.selectFrom('variable').select('value').where('name', '=', 'gatehouse_collation').executeTakeFirst();
    assert.deepEqual(JSON.parse(collation?.value ?? 'null'), { name: 'utf8mb3_bin', mail: 'utf8mb3_general_ci' });
  } finally {
    await target.close();
  }

  const again = await runImport(url);
  assert.deepEqual(again.tally('users'), { imported: 0, updated: 0, unchanged: 9, removed: 0, skipped: 1 });
  assert.equal(again.tally('users_roles').imported, 0);
  assert.equal(again.tally('sessions').unchanged, 2);
  assert.equal(again.rowsWritten, 0);

  const site = await startImportedServer(url, NOW, { cookieDomain: '.old.test' });
  try {
    const db = site.server.database.db;
    const count = await db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    assert.equal(Number(count.n), 10, 'nine accounts + anonymous: a re-run never duplicates');
    const bob = await db.selectFrom('users').selectAll().where('uid', '=', 2).executeTakeFirstOrThrow();
    assert.equal(bob.data, 'a:1:{s:3:"app";a:1:{s:7:"version";s:3:"2.1";}}');
    assert.equal(bob.language, 'fr');
    const vars = await site.server.store.variables.all();
    assert.equal(vars.site_name, 'Old Site');
    assert.equal(vars.user_register, 1);
    assert.equal(vars.user_email_verification, false);
    assert.equal(vars.drupal_hash_salt, HASH_SALT);
    assert.equal(vars.theme_default, undefined, 'a setting Gatehouse does not read is left out');

    // The imported session (the site stored plain ids: hashed on import) and the token the app cached.
    const cookie = `${sessionCookieName({ host: '', basePath: '', https: false, cookieDomain: '.old.test' })}=${RAW_SID.erin}`;
    const cachedToken = hmacBase64('services', RAW_SID.erin + PRIVATE_KEY + HASH_SALT);
    const token = await call(`${site.url}/services/session/token`, { headers: { cookie } });
    assert.equal(token.text, cachedToken);
    const connect = await call(`${site.url}/rest/system/connect`, { method: 'POST', headers: { cookie, 'x-csrf-token': cachedToken } });
    assert.equal(connect.status, 200);
    assert.equal(connect.json.user.uid, '5');
    assert.deepEqual(Object.keys(connect.json.user.roles).sort(), ['2', '4', '6']);
    const refused = await call(`${site.url}/rest/user/5`, { method: 'PUT', headers: { cookie }, json: { timezone: 'Europe/Berlin' } });
    assert.equal(refused.status, 401);
    const put = await call(`${site.url}/rest/user/5`, { method: 'PUT', headers: { cookie, 'x-csrf-token': cachedToken }, json: { timezone: 'Europe/Berlin' } });
    assert.equal(put.status, 200, put.text);

    // Every hash kind logs in with the original password and is upgraded to argon2id.
    for (const [uid, name] of [[1, 'admin'], [2, 'bob'], [3, 'carol'], [4, 'dave'], [5, 'erin']] as const) {
      const res = await call(`${site.url}/rest/user/login`, { method: 'POST', json: { username: name, password: PASSWORDS[name] } });
      assert.equal(res.status, 200, `${name}: ${res.text}`);
      assert.equal(res.json.user.uid, String(uid));
      const row = await db.selectFrom('users').select('pass').where('uid', '=', uid).executeTakeFirstOrThrow();
      assert.match(row.pass, /^\$argon2id\$/, `${name}'s hash is upgraded`);
    }
    // Names compare as the site's utf8mb3_bin column did: exactly.
    for (const [username, status, uid] of [['Grace', 200, '7'], ['grace', 200, '8'], ['GRACE', 401, '']] as const) {
      const res = await call(`${site.url}/rest/user/login`, { method: 'POST', json: { username, password: PASSWORDS.frank } });
      assert.equal(res.status, status, `${username}: ${res.text}`);
      if (uid) assert.equal(res.json.user.uid, uid);
    }
    const wrong = await call(`${site.url}/rest/user/login`, { method: 'POST', json: { username: 'carol', password: 'nope' } });
    assert.equal(wrong.status, 401);
    const blocked = await call(`${site.url}/rest/user/login`, { method: 'POST', json: { username: 'frank', password: PASSWORDS.frank } });
    assert.equal(blocked.status, 403);

    // A new account takes the uid after the site's `sequences`, never one the old site gave out and deleted.
    const registered = await call(`${site.url}/rest/user/register`, { method: 'POST', json: { name: 'newcomer', mail: 'newcomer@new.test', pass: 'newcomer-pass' } });
    assert.equal(registered.status, 200, registered.text);
    assert.equal(registered.json.uid, '16');
  } finally {
    await site.close();
  }
});
