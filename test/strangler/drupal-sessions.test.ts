// Strangler mode, sessions Drupal made: a cookie Gatehouse does not know is looked up in the legacy
// `sessions` table the way Drupal 7 does (hashed id) and adopted, with its data; the legacy row is left as
// it is, and only what ends a session in Drupal (here: logout) deletes it.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { call } from '../helpers/http.js';
import type { TestServer } from '../helpers/test-server.js';
import { rows, SITE_B_COOKIE } from './legacy-site.js';
import { startStrangler, useStranglerRig } from './strangler-server.js';

const hashed = (raw: string) => createHash('sha256').update(raw).digest('base64url');

describe('strangler mode: sessions Drupal made', () => {
  const rig = useStranglerRig('dsess');
  /** A session as Drupal's login form leaves it: a random id, its hash in `sessions.sid`, some data. */
  const drupalSession = async (uid: number, data: string) => {
    const raw = randomBytes(32).toString('base64url');
    await rig.legacy.db.query("INSERT INTO sessions (uid, sid, ssid, hostname, timestamp, cache, session) VALUES (?, ?, '', '10.0.0.9', UNIX_TIMESTAMP(), 0, ?)", [uid, hashed(raw), data]);
    return { raw, cookie: `${SITE_B_COOKIE}=${raw}` };
  };
  const legacyRow = async (raw: string) => (await rows(rig.legacy, 'SELECT uid, session FROM sessions WHERE sid = ?', [hashed(raw)]))[0];

  before(async () => {
    // Site B's alice (uid 2), in Gatehouse as the import brings her.
    assert.ok(await rig.gate.server.store.accounts.byUid(2), 'read from the legacy row');
  });

  it('is the same user on a Gatehouse path, keeps its data, and is still valid in the legacy table afterwards', async () => {
    const s = await drupalSession(2, 'gh_note|s:5:"hello";');
    const token = await call(`${rig.gate.url}/services/session/token`, { headers: { cookie: s.cookie } });
    const connect = await call(`${rig.gate.url}/api/system/connect`, { method: 'POST', headers: { cookie: s.cookie, 'x-csrf-token': token.text } });
    assert.equal(connect.status, 200, connect.text);
    assert.equal(Number(connect.json.user.uid), 2);
    assert.equal(connect.json.sessid, s.raw);
    assert.deepEqual(connect.setCookies.filter((c) => c.includes('=deleted')), [], 'the cookie is not ended');
    const row = await legacyRow(s.raw);
    assert.ok(row, 'the legacy session row is still there');
    assert.equal(String(row.session), 'gh_note|s:5:"hello";');
    const local = await rig.gate.server.database.db.selectFrom('sessions').select(['uid', 'session']).where('sid', '=', hashed(s.raw)).executeTakeFirstOrThrow();
    assert.deepEqual([Number(local.uid), local.session], [2, 'gh_note|s:5:"hello";'], 'adopted with its data');

    const update = await call(`${rig.gate.url}/api/user/2`, { method: 'PUT', headers: { cookie: s.cookie, 'x-csrf-token': token.text }, json: { signature: 'from gatehouse' } });
    assert.equal(update.status, 200, update.text);
    const onDrupal = await call(`${rig.gate.url}/api/node/1`, { headers: { cookie: s.cookie } });
    assert.equal(onDrupal.json.uid, 2, 'the forwarded request is still alice on the legacy site');
    assert.deepEqual(onDrupal.setCookies, []);
  });

  it('a cookie neither side knows is ended as Drupal ends it, and touches no legacy row', async () => {
    const other = await drupalSession(2, '');
    const before = (await rows(rig.legacy, 'SELECT COUNT(*) AS n FROM sessions'))[0].n;
    const res = await call(`${rig.gate.url}/api/system/connect`, { method: 'POST', headers: { cookie: `${SITE_B_COOKIE}=${randomBytes(32).toString('base64url')}` } });
    assert.equal(Number(res.json.user.uid), 0);
    assert.ok(res.setCookies.some((c) => c.startsWith(`${SITE_B_COOKIE}=deleted;`)));
    assert.equal((await rows(rig.legacy, 'SELECT COUNT(*) AS n FROM sessions'))[0].n, before);
    assert.ok(await legacyRow(other.raw));
  });

  it('a legacy session of an account Gatehouse does not have yet is left alone', async () => {
    const s = await drupalSession(3, '');
    const res = await call(`${rig.gate.url}/api/system/connect`, { method: 'POST', headers: { cookie: s.cookie } });
    assert.equal(Number(res.json.user.uid), 0);
    assert.ok(await legacyRow(s.raw), 'not deleted');
  });

  /** system/connect as an app makes it: the session token first (a signed-in session needs it). */
  const connect = async (cookie: string) => {
    const token = await call(`${rig.gate.url}/services/session/token`, { headers: { cookie } });
    return call(`${rig.gate.url}/api/system/connect`, { method: 'POST', headers: { cookie, 'x-csrf-token': token.text } });
  };
  const localRow = (sid: string) => rig.gate.server.database.db.selectFrom('sessions').select('uid').where('sid', '=', sid).executeTakeFirst();
  const gatehouseLogin = async (name: string) => {
    const reg = await call(`${rig.gate.url}/api/user/register`, { method: 'POST', json: { name, mail: `${name}@example.test`, pass: `${name}-pass-1` } });
    assert.equal(reg.status, 200, reg.text);
    const login = await call(`${rig.gate.url}/api/user/login`, { method: 'POST', json: { username: name, password: `${name}-pass-1` } });
    assert.equal(login.status, 200, login.text);
    return { uid: Number(reg.json.uid), cookie: `${login.json.session_name}=${login.json.sessid}`, sid: hashed(String(login.json.sessid)) };
  };

  it('a session Drupal ends (its logout deletes the row) is ended on Gatehouse at its next use', async () => {
    const s = await drupalSession(2, '');
    assert.equal(Number((await connect(s.cookie)).json.user.uid), 2, 'adopted');
    // Drupal's user/logout: session_destroy() → _drupal_session_destroy() deletes the row by its hashed id.
    await rig.legacy.db.query('DELETE FROM sessions WHERE sid = ?', [hashed(s.raw)]);
    const after = await connect(s.cookie);
    assert.equal(Number(after.json.user.uid), 0, after.text);
    assert.equal(await localRow(hashed(s.raw)), undefined, 'the local copy is gone too');
  });

  it('a session of a Gatehouse login ends when Drupal ends every session of its user (block, password change)', async () => {
    const sam = await gatehouseLogin('sess_sam');
    assert.equal((await rows(rig.legacy, 'SELECT uid FROM sessions WHERE sid = ?', [sam.sid])).length, 1, 'written back at login');
    assert.equal(Number((await connect(sam.cookie)).json.user.uid), sam.uid);
    // user_save() with a new password or status 0: drupal_session_destroy_uid() deletes the rows by uid.
    await rig.legacy.db.query('DELETE FROM sessions WHERE uid = ?', [sam.uid]);
    assert.equal(Number((await connect(sam.cookie)).json.user.uid), 0);
    assert.equal(await localRow(sam.sid), undefined);
  });

  it('a session whose write-back Drupal never received is kept: Gatehouse cannot tell that Drupal ended it', async () => {
    const tia = await gatehouseLogin('sess_tia');
    await rig.legacy.db.query('DELETE FROM sessions WHERE sid = ?', [tia.sid]);
    const db = rig.gate.server.database.db;
    // As a write the legacy database refused leaves it: set aside (dead), naming the session.
    const op = JSON.stringify({ kind: 'session.save', record: { sid: tia.sid } });
    await sql`insert into bridge_outbox (op, attempts, next_attempt_at, last_error, dead, created) values (${op}, 1, 0, 'refused', 1, 0)`.execute(db);
    try {
      assert.equal(Number((await connect(tia.cookie)).json.user.uid), tia.uid);
      assert.ok(await localRow(tia.sid));
    } finally {
      await sql`delete from bridge_outbox where dead = 1`.execute(db);
    }
  });

  it('logging out through Gatehouse ends it on both sides, as Drupal\'s logout does', async () => {
    const s = await drupalSession(2, '');
    const token = await call(`${rig.gate.url}/services/session/token`, { headers: { cookie: s.cookie } });
    const out = await call(`${rig.gate.url}/api/user/logout`, { method: 'POST', headers: { cookie: s.cookie, 'x-csrf-token': token.text } });
    assert.equal(out.status, 200, out.text);
    assert.equal(await legacyRow(s.raw), undefined);
    assert.equal((await call(`${rig.gate.url}/api/node/1`, { headers: { cookie: s.cookie } })).json.uid, 0);
  });
});

describe('strangler mode: sessions Drupal made over HTTPS', () => {
  const rig = useStranglerRig('dsessx');
  let gate: TestServer;
  before(async () => {
    gate = await startStrangler({ origin: rig.origin.url, databaseUrl: rig.legacy.url }, { baseUrl: 'https://www.example.test', trustedProxies: ['127.0.0.1'] });
    assert.ok(await gate.server.store.accounts.byUid(2), 'read from the legacy row');
  });
  after(async () => { await gate?.close(); });

  it('is found by `ssid`, as _drupal_session_read() finds it on HTTPS', async () => {
    const raw = randomBytes(32).toString('base64url');
    // Mixed mode keeps the insecure cookie's hash in `sid`: only `ssid` names this session.
    await rig.legacy.db.query("INSERT INTO sessions (uid, sid, ssid, hostname, timestamp, cache, session) VALUES (2, ?, ?, '10.0.0.9', UNIX_TIMESTAMP(), 0, '')", [hashed(`insecure-${raw}`), hashed(raw)]);
    const https = { 'x-forwarded-proto': 'https' };
    const anonymous = await call(`${gate.url}/api/system/connect`, { method: 'POST', headers: https });
    const name = String(anonymous.json.session_name);
    assert.match(name, /^SSESS/);
    const token = await call(`${gate.url}/services/session/token`, { headers: { ...https, cookie: `${name}=${raw}` } });
    const connect = await call(`${gate.url}/api/system/connect`, { method: 'POST', headers: { ...https, cookie: `${name}=${raw}`, 'x-csrf-token': token.text } });
    assert.equal(Number(connect.json.user.uid), 2, connect.text);
    assert.equal((await rows(rig.legacy, 'SELECT uid FROM sessions WHERE ssid = ?', [hashed(raw)])).length, 1);
  });
});
