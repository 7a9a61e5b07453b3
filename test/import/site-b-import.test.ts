/**
 * Site B (a real Drupal 7.100 site, /work/shared/fixtures/drupal7-site-b.*): its MariaDB dump loaded with the
 * `mariadb` client, imported, then served over HTTP as the old site was (cookie domain .example.test, HTTPS
 * behind a proxy, endpoint /api): its 5 live sessions keep working with the CSRF tokens their apps cached,
 * and legacy-hash users log in with their passwords.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { defaultEndpoint } from '../../src/config/config.js';
import { importDrupal7 } from '../../src/import/drupal7/import-drupal7.js';
import type { ImportReport } from '../../src/import/drupal7/report.js';
import { openSource } from '../../src/import/drupal7/source.js';
import { cookieNames } from '../../src/import/drupal7/summary.js';
import { openImportTarget } from '../../src/import/drupal7/target.js';
import { call } from '../helpers/http.js';
import { startImportedServer } from './helpers/imported-server.js';
import { createScratchDb, loadDump, type ScratchDb } from './helpers/mariadb.js';
import { SHARED_DIR } from '../helpers/shared-dir.js';

const DUMP = path.join(SHARED_DIR, 'fixtures/drupal7-site-b.sql.gz');
const HASH_SALT = 'HCcyzSmYNZjsQheB7Hu2jjUJCgbkz2OqCgl3M9x4mik';
/** A minute after the sessions were last written (the dump's day), so they are live on this clock. */
const NOW = 1795821260;
const COOKIE = 'SSESS574595f559df59f0217e4bc3cf2c3ce9';
const SESSIONS = [
  { uid: 2, sid: 'haiPMRSA6CynY5VVjiErDaZFMxBJVoHUsGqHNrGEn4Y', token: '3b7I18kRwyZKHpasiY09dDpzgMP6sw8uRUiT9Qfu7nI' },
  { uid: 3, sid: 'NexdE2pWWxsXU6Uj95XrTIjXkVn69aHDXVCUFb67msc', token: 'DiALudzTmRSQ2Yxmgby3NEpkcBESuCazJmU68yjwtuA' },
  { uid: 5, sid: '5F0XNpIjGo73vK4Hl06TFLnagj-O5rAm6QvdDVwhHVA', token: '50TnEzY9IkqntBTtlfuIIhM30HMeVIsXgMHuBhw6BPo' },
  { uid: 6, sid: 'pPLneyZzekyVmarS5aisyqFI7Xz_gcxYbIdZ_JhDmpE', token: 'fuyICGwfA44yXfkAYDJmkU2FAg4kgRoZfuuV2_Nw4hk' },
  { uid: 7, sid: 'YRkz4AyBUREafS3B8W13GgAxcgBUuwqSD-8qlYY6LA4', token: 'w-BFm-TM9zRN8kc4D9iBMciLxqJxSlX23eNA-hx_83Q' },
];
const HTTPS = { 'x-forwarded-proto': 'https', host: 'www.example.test' };

let mariadb: ScratchDb;
let dir: string;
let targetUrl: string;
let report: ImportReport;

before(async () => {
  mariadb = await createScratchDb();
  await loadDump(mariadb, DUMP);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gh-site-b-'));
  targetUrl = `sqlite:${path.join(dir, 'gatehouse.sqlite')}`;
  const source = await openSource(mariadb.url);
  const target = await openImportTarget(targetUrl);
  try {
    report = await importDrupal7({ source, target, options: { hashSalt: HASH_SALT } });
  } finally {
    await target.close();
    await source.close();
  }
});

after(async () => {
  await mariadb?.drop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

test('site B imports whole: 31 accounts, its roles with their rids, its 5 sessions', () => {
  assert.deepEqual(report.tally('users'), { imported: 31, updated: 0, unchanged: 0, removed: 0, skipped: 1 });
  assert.equal(report.tally('sessions').imported, 5);
  assert.equal(report.tally('role').imported + report.tally('role').unchanged + report.tally('role').updated, 6);
  assert.equal(report.errors.length, 0, JSON.stringify(report.errors));
  const warnings = report.warnings.map((w) => `${w.row}: ${w.reason}`).join('\n');
  assert.match(warnings, /uid=11: empty mail/);
  assert.match(warnings, /uid=13: mail "casey.dup@example.test" equals uid 12's case-insensitively/);
  assert.deepEqual(cookieNames({ baseUrl: 'https://www.example.test', cookieDomain: '.example.test' }), { https: COOKIE, http: COOKIE.slice(1) });
});

test('site B brings its collation, LoginToboggan and its legacy duplicate mail', async () => {
  const target = await openImportTarget(targetUrl);
  try {
    const vars = Object.fromEntries((await target.db.selectFrom('variable').select(['name', 'value']).where('name', 'in', ['gatehouse_collation', 'gatehouse_logintoboggan', 'logintoboggan_login_with_email']).execute()).map((r) => [r.name, JSON.parse(r.value)]));
    assert.deepEqual(vars, { gatehouse_collation: 'utf8mb3_general_ci', gatehouse_logintoboggan: 1, logintoboggan_login_with_email: 1 });
    const casey = await target.db.selectFrom('users').select(['uid', 'mail_key', 'mail_shared']).where('uid', 'in', [12, 13]).orderBy('uid').execute();
    assert.deepEqual(casey, [{ uid: 12, mail_key: 'CASEY.DUP@EXAMPLE.TEST', mail_shared: 0 }, { uid: 13, mail_key: 'CASEY.DUP@EXAMPLE.TEST', mail_shared: 1 }]);
  } finally {
    await target.close();
  }
});

test('site B over HTTP: live sessions with their cached tokens, legacy hashes log in and are upgraded', async () => {
  const site = await startImportedServer(targetUrl, NOW, {
    baseUrl: 'https://www.example.test', cookieDomain: '.example.test', trustedProxies: ['127.0.0.1'],
    endpoints: [{ ...defaultEndpoint(), name: 'api', path: 'api' }],
  });
  try {
    for (const s of SESSIONS) {
      const headers = { ...HTTPS, cookie: `${COOKIE}=${s.sid}` };
      const token = await call(`${site.url}/services/session/token`, { headers });
      assert.equal(token.text, s.token, `uid ${s.uid}: the token the app cached`);
      const connect = await call(`${site.url}/api/system/connect`, { method: 'POST', headers: { ...headers, 'x-csrf-token': s.token } });
      assert.equal(connect.status, 200, connect.text);
      assert.equal(connect.json.user.uid, String(s.uid));
      const noToken = await call(`${site.url}/api/system/connect`, { method: 'POST', headers });
      assert.equal(noToken.status, 401, 'an unsafe call without the token is refused');
    }
    const db = site.server.database.db;
    for (const [uid, name, pass] of [[15, 'legacy_wp', 'wordpress-pass'], [16, 'legacy_phpbb', 'phpbb-pass'], [17, 'legacy_d6', 'd6-pass'], [7, 'José Müller', 'Jose-pass-ü1']] as const) {
      const res = await call(`${site.url}/api/user/login`, { method: 'POST', headers: HTTPS, json: { username: name, password: pass } });
      assert.equal(res.status, 200, `${name}: ${res.text}`);
      assert.equal(res.json.session_name, COOKIE);
      const row = await db.selectFrom('users').select('pass').where('uid', '=', uid).executeTakeFirstOrThrow();
      assert.match(row.pass, /^\$argon2id\$/);
    }
    const nathan = await db.selectFrom('users').select('data').where('uid', '=', 28).executeTakeFirstOrThrow();
    assert.match(String(nathan.data), /^a:1:\{s:10:"mobile_app";a:3:\{s:8:"platform";s:7:"android";/);
  } finally {
    await site.close();
  }
});
