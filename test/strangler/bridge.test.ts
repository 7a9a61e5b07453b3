import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { describe, it } from 'node:test';
import { AccountAdmin } from '../../src/core/accounts/account-admin.js';
import { call } from '../helpers/http.js';
import { runCli } from './gatehouse-cli.js';
import { rows, SITE_B_COOKIE_DOMAIN, SITE_B_HASH_SALT } from './legacy-site.js';
import { useStranglerRig } from './strangler-server.js';

const bridgeCheck = (env: Record<string, string>) => runCli(env, 'bridge', 'check');

const until = async (what: string, ok: () => Promise<boolean>, ms = 5000) => {
  const end = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe('strangler mode: write-back failures and bridge check', () => {
  const rig = useStranglerRig('bridge');
  const outbox = async () => (await sql<{ op: string; attempts: number; last_error: string | null }>`select op, attempts, last_error from bridge_outbox order by id`.execute(rig.gate.server.database.db)).rows;


  it('keeps writes the legacy database refused, visibly, and delivers them in order once it is back', async () => {
    const reg = await call(`${rig.gate.url}/api/user/register`, { method: 'POST', json: { name: 'outage_olga', mail: 'olga@example.test', pass: 'olga-pass-1' } });
    assert.equal(reg.status, 200, reg.text);
    await rig.legacy.db.query('RENAME TABLE sessions TO sessions_away');
    const login = await call(`${rig.gate.url}/api/user/login`, { method: 'POST', json: { username: 'outage_olga', password: 'olga-pass-1' } });
    assert.equal(login.status, 200, 'Gatehouse still logs in while the legacy database refuses the write');
    const cookie = `${login.json.session_name}=${login.json.sessid}`;
    const pending = await outbox();
    assert.ok(pending.length >= 1);
    assert.equal(JSON.parse(pending[0].op).kind, 'session.save');
    assert.match(String(pending[0].last_error), /sessions/);
    const logout = await call(`${rig.gate.url}/api/user/logout`, { method: 'POST', headers: { cookie, 'x-csrf-token': login.json.token } });
    assert.equal(logout.status, 200);
    assert.ok((await outbox()).length >= 2, 'the logout waits behind the failed login write');

    await rig.legacy.db.query('RENAME TABLE sessions_away TO sessions');
    await until('the outbox to drain', async () => (await outbox()).length === 0);
    const sid = createHash('sha256').update(String(login.json.sessid)).digest('base64url');
    assert.equal((await rows(rig.legacy, 'SELECT sid FROM sessions WHERE sid = ?', [sid])).length, 0, 'the late login did not resurrect the logged-out session');
    assert.equal((await rows(rig.legacy, 'SELECT uid FROM sessions WHERE uid = ?', [reg.json.uid])).length, 1, 'the registration session is there');
  });

  it('never overwrites a legacy account, and sets aside a write the legacy site can never accept without blocking later ones', async () => {
    await new AccountAdmin(rig.gate.server.core).add({ uid: 1, name: 'admin', mail: 'local-admin@example.test', password: 'x-pass-1', roles: ['administrator'] });
    const [admin] = await rows(rig.legacy, 'SELECT mail FROM users WHERE uid = 1');
    assert.equal(admin.mail, 'webmaster@example.test', 'the legacy uid 1 is left as it is');

    const taken = await call(`${rig.gate.url}/api/user/register`, { method: 'POST', json: { name: 'alice', mail: 'other.alice@example.test', pass: 'alice-pass-2' } });
    assert.equal(taken.status, 200, 'alice exists only on the legacy side, so Gatehouse accepts the name');
    const after = await call(`${rig.gate.url}/api/user/register`, { method: 'POST', json: { name: 'later_lou', mail: 'lou@example.test', pass: 'lou-pass-1' } });
    assert.equal(after.status, 200);
    const [lou] = await rows(rig.legacy, 'SELECT uid FROM users WHERE name = ?', ['later_lou']);
    assert.equal(Number(lou.uid), Number(after.json.uid), 'the write after the refused one was delivered');
    const dead = (await outbox()).filter((r) => JSON.parse(r.op).kind === 'user.save');
    assert.equal(dead.length, 1);
    assert.match(String(dead[0].last_error), /Duplicate entry/);
  });

  it('bridge check reports what agrees and what differs', async () => {
    const env = {
      DATABASE_URL: rig.gate.server.config.databaseUrl, GATEHOUSE_LEGACY_DATABASE_URL: rig.legacy.url, GATEHOUSE_LEGACY_ORIGIN: rig.origin.url,
      GATEHOUSE_COOKIE_DOMAIN: SITE_B_COOKIE_DOMAIN, GATEHOUSE_HASH_SALT: SITE_B_HASH_SALT, GATEHOUSE_LOG_LEVEL: 'silent',
    };
    const good = await bridgeCheck(env);
    assert.match(good.out, /ok +legacy database: reachable/);
    assert.match(good.out, /ok +session id hashing/);
    assert.match(good.out, /ok +private key/);
    assert.match(good.out, /ok +cookie name and CSRF token: the legacy site reads cookie SESS574595f559df59f0217e4bc3cf2c3ce9/);
    assert.match(good.out, /DIFFERS +users: uid 1 mail: Gatehouse "local-admin@example.test", legacy "webmaster@example.test"; uid \d+ \(alice\) only in Gatehouse; uid 2 \(alice\) only on the legacy site/,
      'site B\'s accounts were never imported into this Gatehouse');
    assert.match(good.out, /DIFFERS +roles: .*only on the legacy site: 4:editor, 6:member, 7:premium/);
    assert.match(good.out, /DIFFERS +refused write-backs: 1 write\(s\)/);
    assert.equal(good.code, 1);

    const wrongSalt = await bridgeCheck({ ...env, GATEHOUSE_HASH_SALT: 'not-the-legacy-salt' });
    assert.match(wrongSalt.out, /DIFFERS +cookie name and CSRF token/);
  });
});
