import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Config } from '../../src/config/config.js';
import { call, cookieOf } from '../helpers/http.js';
import type { TestServer } from '../helpers/test-server.js';
import { runCli } from './gatehouse-cli.js';
import { type LegacySite, loadLegacySite, rows, SITE_B_COOKIE_DOMAIN, SITE_B_HASH_SALT } from './legacy-site.js';
import { type StandIn, startStandInOrigin } from './stand-in-origin.js';
import { startStrangler } from './strangler-server.js';

/**
 * docs/strangler.md, "Ending the migration", step by step: changes Gatehouse still owes Drupal are delivered
 * by the final sync; while Gatehouse is stopped, Drupal runs alone and its changes come over at the next
 * sync; `bridge check` is clean; with the bridge off, Gatehouse alone has everything.
 */
describe('strangler mode: ending the migration, with a spell of Drupal alone', () => {
  let legacy: LegacySite;
  let origin: StandIn;
  let gate: (TestServer & { config: Config }) | null = null;
  let dir = '';
  let databaseUrl = '';
  let env: Record<string, string> = {};
  const q = (sql: string, params: unknown[] = []) => rows(legacy, sql, params);
  const start = async (bridged: boolean) => {
    gate = await startStrangler(bridged ? { origin: origin.url, databaseUrl: legacy.url } : {}, {}, { databaseUrl });
    return gate;
  };
  const stop = async () => { await gate?.close(); gate = null; };
  const login = (g: TestServer, username: string, password: string) => call(`${g.url}/api/user/login`, { method: 'POST', json: { username, password } });

  before(async () => {
    legacy = await loadLegacySite('exit');
    origin = await startStandInOrigin(legacy.db);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-exit-'));
    databaseUrl = `sqlite:${path.join(dir, 'gatehouse.sqlite')}`;
    env = {
      DATABASE_URL: databaseUrl, GATEHOUSE_LEGACY_DATABASE_URL: legacy.url, GATEHOUSE_LEGACY_ORIGIN: origin.url,
      GATEHOUSE_COOKIE_DOMAIN: SITE_B_COOKIE_DOMAIN, GATEHOUSE_HASH_SALT: SITE_B_HASH_SALT, GATEHOUSE_LOG_LEVEL: 'silent',
    };
  });
  after(async () => {
    await stop();
    await origin?.close();
    await legacy?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the final sync delivers what Gatehouse still owes the legacy database, then bridge check is clean', async () => {
    const g = await start(true);
    const reg = await call(`${g.url}/api/user/register`, { method: 'POST', json: { name: 'exit_eve', mail: 'eve@example.test', pass: 'eve-pass-1' } });
    assert.equal(reg.status, 200, reg.text);
    const admin = await login(g, 'admin', 'B-admin-2013!');
    assert.equal(admin.status, 200, admin.text);
    await q('RENAME TABLE users_roles TO users_roles_away');
    const roles = await call(`${g.url}/api/user/${reg.json.uid}`, { method: 'PUT', headers: { cookie: cookieOf(admin.json), 'x-csrf-token': admin.json.token }, json: { roles: { 2: 'authenticated user', 3: 'administrator' } } });
    assert.equal(roles.status, 200, roles.text);
    await stop();
    await q('RENAME TABLE users_roles_away TO users_roles');
    assert.equal((await q('SELECT rid FROM users_roles WHERE uid = ?', [reg.json.uid])).length, 0, 'the role is still owed');
    assert.match((await runCli(env, 'bridge', 'check')).out, /DIFFERS +pending write-backs: [1-9]/);

    const sync = await runCli(env, 'bridge', 'sync');
    assert.equal(sync.code, 0, sync.out);
    assert.match(sync.out, /every change Gatehouse made is in the legacy database/);
    assert.deepEqual((await q('SELECT rid FROM users_roles WHERE uid = ?', [reg.json.uid])).map((r) => Number(r.rid)), [3]);
    const check = await runCli(env, 'bridge', 'check');
    assert.equal(check.code, 0, check.out);
    assert.match(check.out, /bridge check: everything agrees/);
  });

  it('Drupal alone for a while: what it changes comes over at the next sync, and Gatehouse alone then has it all', async () => {
    const [alice] = await q('SELECT pass FROM users WHERE uid = 2');
    await q('INSERT INTO sequences () VALUES ()');
    const [seq] = await q('SELECT MAX(value) AS v FROM sequences');
    await q(`INSERT INTO users (uid, name, pass, mail, theme, signature, created, access, login, status, timezone, language, picture, init, data)
      VALUES (?, 'drupal_dora', ?, 'dora@example.test', '', '', 1790000000, 0, 0, 1, NULL, '', 0, 'dora@example.test', NULL)`, [Number(seq.v), alice.pass]);
    await q("UPDATE users SET name = 'alice_d', mail = 'alice.d@example.test' WHERE uid = 2");
    await q('INSERT INTO users_roles (uid, rid) VALUES (2, 7)');
    await q("UPDATE users SET status = 0 WHERE name = 'exit_eve'");

    const sync = await runCli(env, 'bridge', 'sync');
    assert.equal(sync.code, 0, sync.out);
    const check = await runCli(env, 'bridge', 'check');
    assert.equal(check.code, 0, check.out);

    const g = await start(false);
    assert.equal(g.config.legacy.databaseUrl, null, 'the bridge is off');
    const dora = await login(g, 'drupal_dora', 'alicepass');
    assert.equal(dora.status, 200, dora.text);
    assert.equal(Number(dora.json.user.uid), Number(seq.v));
    const renamed = await login(g, 'alice_d', 'alicepass');
    assert.equal(renamed.status, 200, renamed.text);
    assert.equal(renamed.json.user.mail, 'alice.d@example.test');
    assert.deepEqual(Object.keys(renamed.json.user.roles).sort(), ['2', '6', '7']);
    assert.equal((await login(g, 'exit_eve', 'eve-pass-1')).status, 403, 'the block made on Drupal holds');
  });
});
