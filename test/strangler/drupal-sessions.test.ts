// Strangler mode, sessions Drupal made: a cookie Gatehouse does not know is looked up in the legacy
// `sessions` table the way Drupal 7 does (hashed id) and adopted, with its data; the legacy row is left as
// it is, and only what ends a session in Drupal (here: logout) deletes it.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { AccountAdmin } from '../../src/core/accounts/account-admin.js';
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
    const [alice] = await rows(rig.legacy, 'SELECT mail FROM users WHERE uid = 2');
    await new AccountAdmin(rig.gate.server.core).add({ uid: 2, name: 'alice', mail: String(alice.mail), password: 'alice-pass-1' });
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
    const [alice] = await rows(rig.legacy, 'SELECT mail FROM users WHERE uid = 2');
    await new AccountAdmin(gate.server.core).add({ uid: 2, name: 'alice', mail: String(alice.mail), password: 'alice-pass-1' });
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
