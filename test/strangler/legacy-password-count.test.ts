// Strangler mode, passwords: the site's own password_count_log2 (read from the legacy `variable` table when
// the import did not bring it) is the count of every `$S$` written, including by the `gatehouse user` CLI.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { call } from '../helpers/http.js';
import type { TestServer } from '../helpers/test-server.js';
import { runCli } from './gatehouse-cli.js';
import { drupal7CheckPassword, drupal7CountLog2 } from './drupal7-password-rules.js';
import { type LegacySite, loadLegacySite, rows } from './legacy-site.js';
import { startStrangler } from './strangler-server.js';

async function cli(env: Record<string, string>, ...args: string[]): Promise<string> {
  const { code, out } = await runCli(env, ...args);
  assert.equal(code, 0, out);
  return out;
}

describe('strangler mode: the site\'s password_count_log2', () => {
  let legacy: LegacySite;
  let gate: TestServer;
  before(async () => {
    legacy = await loadLegacySite('count');
    await legacy.db.query("REPLACE INTO variable (name, value) VALUES ('password_count_log2', 'i:12;')");
    gate = await startStrangler({ databaseUrl: legacy.url });
  });
  after(async () => {
    await gate?.close();
    await legacy?.drop();
  });
  const legacyPass = async (name: string) => String((await rows(legacy, 'SELECT pass FROM users WHERE name = ?', [name]))[0]?.pass);

  it('registration writes $S$ at the site\'s count (12 → "A")', async () => {
    const reg = await call(`${gate.url}/api/user/register`, { method: 'POST', json: { name: 'count_cora', mail: 'cora@example.test', pass: 'cora-pass-1' } });
    assert.equal(reg.status, 200, reg.text);
    const pass = await legacyPass('count_cora');
    assert.match(pass, /^\$S\$A.{51}$/);
    assert.equal(drupal7CountLog2(pass), 12);
    assert.ok(drupal7CheckPassword('cora-pass-1', pass));
  });

  it('`gatehouse user add` and `gatehouse user set-password` write hashes Drupal verifies', async () => {
    const env = { DATABASE_URL: gate.server.config.databaseUrl, GATEHOUSE_LEGACY_DATABASE_URL: legacy.url, GATEHOUSE_LOG_LEVEL: 'silent' };
    assert.match(await cli(env, 'user', 'add', 'cli_cid', '--mail', 'cid@example.test', '--password', 'cid-pass-1'), /created user cli_cid/);
    const added = await legacyPass('cli_cid');
    assert.equal(drupal7CountLog2(added), 12);
    assert.ok(drupal7CheckPassword('cid-pass-1', added), added);
    assert.match(await cli(env, 'user', 'set-password', 'cli_cid', 'cid-pass-2'), /password set for cli_cid/);
    const set = await legacyPass('cli_cid');
    assert.ok(drupal7CheckPassword('cid-pass-2', set), set);
    assert.equal(drupal7CheckPassword('cid-pass-1', set), false);
    const login = await call(`${gate.url}/api/user/login`, { method: 'POST', json: { username: 'cli_cid', password: 'cid-pass-2' } });
    assert.equal(login.status, 200, login.text);
  });
});
