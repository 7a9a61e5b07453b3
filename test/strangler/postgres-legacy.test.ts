import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Config } from '../../src/config/config.js';
import { postgresSkipReason } from '../helpers/postgres.js';
import { call, cookieOf } from '../helpers/http.js';
import type { TestServer } from '../helpers/test-server.js';
import { seedContent } from './legacy-content-rows.js';
import { loadLegacySiteOnPostgres, type PostgresLegacySite } from './legacy-pg-site.js';
import { startStrangler } from './strangler-server.js';

const skip = await postgresSkipReason();

/** The bridge in front of a Drupal 7 site whose database is PostgreSQL (site B's rows, Drupal's pgsql layout). */
describe('strangler mode: a legacy Drupal 7 site on PostgreSQL', { skip: skip ?? false }, () => {
  let site: PostgresLegacySite;
  let gate: TestServer & { config: Config };
  before(async () => {
    site = await loadLegacySiteOnPostgres('pg');
    gate = await startStrangler({ origin: null, databaseUrl: site.url });
  });
  after(async () => {
    await gate?.close();
    await site?.drop();
  });
  const login = (username: string, password: string) => call(`${gate.url}/api/user/login`, { method: 'POST', json: { username, password } });

  let uid = 0;
  it('registers under the next value of Drupal\'s sequences_value_seq, into the legacy users table', async () => {
    const reg = await call(`${gate.url}/api/user/register`, { method: 'POST', json: { name: 'pg_paula', mail: 'paula@example.test', pass: 'paula-pass-1' } });
    assert.equal(reg.status, 200, reg.text);
    uid = Number(reg.json.uid);
    assert.equal(uid, 33);
    const [row] = await site.q('SELECT name, mail, status, convert_from(data, \'UTF8\') AS data FROM users WHERE uid = ?', [uid]);
    assert.deepEqual([row.name, row.mail, row.status], ['pg_paula', 'paula@example.test', 1]);
    assert.match(String(row.data), /^(b:0;|a:)/, 'users.data is PHP-serialized text in its bytea');
    const [seq] = await site.q('SELECT last_value FROM sequences_value_seq');
    assert.equal(Number(seq.last_value), 33);
  });

  it('shares the session row: written at login (hashed sid, bytea data), kept once, deleted at logout', async () => {
    const res = await login('pg_paula', 'paula-pass-1');
    assert.equal(res.status, 200, res.text);
    const sid = createHash('sha256').update(String(res.json.sessid)).digest('base64url');
    const [row] = await site.q('SELECT uid FROM sessions WHERE sid = ?', [sid]);
    assert.equal(Number(row?.uid), uid);
    const record = { sid, ssid: '', uid, hostname: '127.0.0.1', timestamp: 1, cache: 0, session: '' };
    await gate.server.legacy!.db.saveSession(record, false);
    await site.q("UPDATE sessions SET session = convert_to('drupal|s:4:\"kept\";', 'UTF8') WHERE sid = ?", [sid]);
    await gate.server.legacy!.db.saveSession({ ...record, timestamp: 2 }, false);
    const [again] = await site.q("SELECT timestamp, convert_from(session, 'UTF8') AS session FROM sessions WHERE sid = ?", [sid]);
    assert.deepEqual([Number(again.timestamp), again.session], [2, 'drupal|s:4:"kept";'], 'an upsert keeps the data Drupal stored');
    const out = await call(`${gate.url}/api/user/logout`, { method: 'POST', headers: { cookie: cookieOf(res.json), 'x-csrf-token': res.json.token } });
    assert.equal(out.status, 200, out.text);
    assert.equal((await site.q('SELECT uid FROM sessions WHERE sid = ?', [sid])).length, 0);
  });

  it('stores text beyond U+FFFF (a UTF8 database holds it)', async () => {
    const reg = await call(`${gate.url}/api/user/register`, { method: 'POST', json: { name: 'pg_emoji_\u{1F600}', mail: 'emoji@example.test', pass: 'emoji-pass-1' } });
    assert.equal(reg.status, 200, reg.text);
    assert.equal((await site.q('SELECT name FROM users WHERE uid = ?', [Number(reg.json.uid)]))[0].name, 'pg_emoji_\u{1F600}');
  });

  it('sees accounts, roles and blocks made in the legacy tables', async () => {
    const alice = await login('alice', 'alicepass');
    assert.equal(alice.status, 200, alice.text);
    assert.equal(alice.json.user.roles['6'], 'member');
    await site.q('UPDATE users SET status = 0 WHERE uid = 2');
    assert.equal((await login('alice', 'alicepass')).status, 403);
  });

  it('sets aside, without blocking later writes, a new account whose name another legacy account holds (23505)', async () => {
    const taken = await call(`${gate.url}/api/user/register`, { method: 'POST', json: { name: 'pg_paula', mail: 'other@example.test', pass: 'x-pass-123' } });
    assert.equal(taken.status, 406, 'the name is known locally');
    // Its write-back waits behind a failed one while Drupal gives the name to another account.
    await site.q('ALTER TABLE sessions RENAME TO sessions_away');
    assert.equal((await login('pg_paula', 'paula-pass-1')).status, 200);
    const clash = await call(`${gate.url}/api/user/register`, { method: 'POST', json: { name: 'pg_late', mail: 'late@example.test', pass: 'late-pass-1' } });
    assert.equal(clash.status, 200, clash.text);
    await site.q("INSERT INTO users (uid, name, pass, mail, theme, signature, created, access, login, status, language, picture, init) VALUES (90, 'pg_late', '', 'lo@example.test', '', '', 0, 0, 0, 1, '', 0, '')");
    await site.q('ALTER TABLE sessions_away RENAME TO sessions');
    const next = await call(`${gate.url}/api/user/register`, { method: 'POST', json: { name: 'pg_next', mail: 'next@example.test', pass: 'next-pass-1' } });
    assert.equal(next.status, 200);
    for (let i = 0; i < 200 && (await site.q('SELECT uid FROM users WHERE name = ?', ['pg_next'])).length === 0; i++) await new Promise((r) => setTimeout(r, 25));
    assert.equal((await site.q('SELECT uid FROM users WHERE name = ?', ['pg_next'])).length, 1, 'the write after the refused one was delivered');
    const status = await gate.server.legacy!.writeBack.status();
    assert.equal(status.dead, 1);
    assert.match(String(status.deadError), /users_name_key/);
  });

  it('cancels with Drupal\'s effects on the content tables', async () => {
    const content = await seedContent(site.q, uid, 7000);
    const admin = await login('admin', 'B-admin-2013!');
    assert.equal(admin.status, 200, admin.text);
    await gate.setVariable('user_cancel_method', 'user_cancel_reassign');
    const res = await call(`${gate.url}/api/user/${uid}/cancel`, { method: 'POST', headers: { cookie: cookieOf(admin.json), 'x-csrf-token': admin.json.token }, json: {} });
    assert.equal(res.status, 200, res.text);
    assert.equal((await site.q('SELECT uid FROM users WHERE uid = ?', [uid])).length, 0);
    assert.equal(Number((await site.q('SELECT uid FROM node WHERE nid = ?', [content.own.nid]))[0].uid), 0);
    assert.equal(Number((await site.q('SELECT uid FROM comment WHERE cid = ?', [content.other.comment]))[0].uid), 0);
    assert.equal(Number((await site.q('SELECT uid FROM node_revision WHERE vid = ?', [content.own.oldVid]))[0].uid), 0);
  });
});
