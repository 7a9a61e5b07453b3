// `gatehouse bridge check` fails on a legacy hash Drupal 7 cannot verify (listing it with its repair) and on
// a Host mismatch: its probe sends the Host clients send, so a cookie name Drupal derives from that Host
// differently from Gatehouse's is found, the mismatch that leaves forwarded requests anonymous.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createFastTestHasher } from '../../src/core/passwords/password-hasher.js';
import { call } from '../helpers/http.js';
import type { TestServer } from '../helpers/test-server.js';
import { runCli } from './gatehouse-cli.js';
import { type LegacySite, loadLegacySite, SITE_B_HASH_SALT } from './legacy-site.js';
import { type StandIn, startStandInOrigin } from './stand-in-origin.js';
import { startStrangler } from './strangler-server.js';

describe('bridge check: legacy hashes and the Host clients send', () => {
  let legacy: LegacySite;
  let origin: StandIn;
  /** Gatehouse reached by clients under 127.0.0.1:<port>, its baseUrl naming another host. */
  let mismatched: TestServer;
  /** Gatehouse with no baseUrl: its cookie name comes from the Host clients send, as Drupal's does. */
  let matched: TestServer;
  before(async () => {
    legacy = await loadLegacySite('bcheck');
    origin = await startStandInOrigin(legacy.db, { cookieFromHost: true });
    mismatched = await startStrangler({ origin: origin.url, databaseUrl: legacy.url }, { cookieDomain: null, baseUrl: 'http://legacy.example.test' });
    matched = await startStrangler({ origin: origin.url, databaseUrl: legacy.url }, { cookieDomain: null });
  });
  after(async () => {
    await mismatched?.close();
    await matched?.close();
    await origin?.close();
    await legacy?.drop();
  });
  const check = (gate: TestServer, ...args: string[]) => runCli({
    DATABASE_URL: gate.server.config.databaseUrl, GATEHOUSE_LEGACY_DATABASE_URL: legacy.url, GATEHOUSE_LEGACY_ORIGIN: origin.url,
    GATEHOUSE_HASH_SALT: SITE_B_HASH_SALT, GATEHOUSE_LOG_LEVEL: 'silent', ...(gate === mismatched ? { GATEHOUSE_BASE_URL: 'http://legacy.example.test' } : {}),
  }, 'bridge', 'check', ...args);

  it('lists every legacy hash Drupal 7 cannot verify, with its repair, and is clean once it is repaired', async () => {
    assert.match((await check(matched)).out, /ok +legacy password hashes: \d+ accounts, every hash one Drupal 7 verifies/);
    const reg = await call(`${matched.url}/api/user/register`, { method: 'POST', json: { name: 'argon_ari', mail: 'ari@example.test', pass: 'ari-pass-1' } });
    assert.equal(reg.status, 200, reg.text);
    const uid = Number(reg.json.uid);
    // What Gatehouse wrote before `$S$` write-through: an argon2id in both databases. And a row no one can check.
    const argon = await createFastTestHasher().hash('ari-pass-1');
    await matched.server.database.db.updateTable('users').set({ pass: argon }).where('uid', '=', uid).execute();
    await legacy.db.query('UPDATE users SET pass = ? WHERE uid = ?', [argon, uid]);
    await legacy.db.query("UPDATE users SET pass = '5f4dcc3b5aa765d61d8327deb882cf99' WHERE uid = 3");
    const bad = await check(matched);
    assert.equal(bad.code, 1);
    assert.match(bad.out, /DIFFERS +legacy password hashes: 2 account\(s\) with a hash Drupal 7 cannot verify/);
    assert.match(bad.out, new RegExp(`uid 3 \\(\\w+\\): 5f4dcc3b5aa7… needs a new password; uid ${uid} \\(argon_ari\\): \\$argon2id\\$v=… rewritten at the next login through Gatehouse`));

    assert.equal((await call(`${matched.url}/api/user/login`, { method: 'POST', json: { username: 'argon_ari', password: 'ari-pass-1' } })).status, 200);
    const after = await check(matched);
    assert.doesNotMatch(after.out, /argon_ari/);
    assert.match(after.out, /DIFFERS +legacy password hashes: 1 account\(s\)/);
  });

  it('fails on a Host mismatch, probing with the Host clients send', async () => {
    // A client reaches Gatehouse; its forwarded request is anonymous on the legacy site.
    const reg = await call(`${mismatched.url}/api/user/register`, { method: 'POST', json: { name: 'host_hugo', mail: 'hugo@example.test', pass: 'hugo-pass-1' } });
    assert.equal(reg.status, 200, reg.text);
    const login = await call(`${mismatched.url}/api/user/login`, { method: 'POST', json: { username: 'host_hugo', password: 'hugo-pass-1' } });
    assert.equal(login.status, 200, login.text);
    const forwarded = await call(`${mismatched.url}/api/node/1`, { headers: { cookie: `${login.json.session_name}=${login.json.sessid}` } });
    assert.equal(forwarded.json.uid, 0, 'Drupal named the cookie after the Host, Gatehouse after its baseUrl');

    const found = await check(mismatched);
    assert.equal(found.code, 1);
    assert.match(found.out, new RegExp(`DIFFERS +cookie name and CSRF token: .*probed with Host 127\\.0\\.0\\.1:${mismatched.port} \\(the Host of the last request Gatehouse forwarded\\)`));
    assert.match(found.out, /set \$cookie_domain there and GATEHOUSE_COOKIE_DOMAIN to the same value/);
    const given = await check(mismatched, '--client-host', `127.0.0.1:${mismatched.port}`);
    assert.match(given.out, /DIFFERS +cookie name and CSRF token: .*given with --client-host/);
    // baseUrl's host is not what clients send: a probe with it would say ok.
    const assumed = await check(mismatched, '--client-host', 'legacy.example.test');
    assert.match(assumed.out, /ok +cookie name and CSRF token/);
  });

  it('passes when Gatehouse names the cookie from the Host clients send, as Drupal does', async () => {
    const login = await call(`${matched.url}/api/user/login`, { method: 'POST', json: { username: 'argon_ari', password: 'ari-pass-1' } });
    const forwarded = await call(`${matched.url}/api/node/1`, { headers: { cookie: `${login.json.session_name}=${login.json.sessid}` } });
    assert.equal(forwarded.json.name, 'argon_ari');
    assert.match((await check(matched)).out, new RegExp(`ok +cookie name and CSRF token: .*probed with Host 127\\.0\\.0\\.1:${matched.port}`));
  });
});
