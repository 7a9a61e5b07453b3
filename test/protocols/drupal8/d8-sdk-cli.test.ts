/** The SDK's Drupal8Client and `gatehouse client … --dialect d8` against our own server. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runClientCli } from '../../../src/cli/commands/client.js';
import { GatehouseClientError } from '../../../src/client/errors.js';
import { NodeDrupal8Client } from '../../../src/client/node.js';
import { startTestServer, type TestServer } from '../../helpers/test-server.js';

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runClientCli(argv, { out: (t) => void (out += t), err: (t) => void (err += t) });
  return { code, out, err };
}

const requests = (out: string, base: string): string[] =>
  out.split('\n').filter((l) => /^\d+\. /.test(l)).map((l) => l.split(base).join('').replace(/\s+\(.*\)$/, ''));

describe('Drupal 8+ SDK and CLI', () => {
  let s: TestServer;
  const dir = mkdtempSync(path.join(tmpdir(), 'gh-d8-cli-'));
  before(async () => { s = await startTestServer({ preset: 'peer' }); });
  after(async () => { await s.close(); });

  it('SDK: login, update (token sent), read back, a refused update as GatehouseClientError, logout', async () => {
    const c = new NodeDrupal8Client({ baseUrl: s.url, trace: true });
    const login = await c.login('alice', 'alicepass');
    assert.equal(login.current_user.name, 'alice');
    assert.equal(await c.loginStatus(), true);
    const uid = login.current_user.uid;
    const updated = await c.updateUser(uid, { timezone: 'Europe/Rome' });
    assert.deepEqual(updated.timezone, [{ value: 'Europe/Rome' }]);
    assert.deepEqual((await c.getUser(uid)).timezone, [{ value: 'Europe/Rome' }]);
    await assert.rejects(c.updateUser(uid, { mail: 'x@example.com' }), (err: unknown) =>
      err instanceof GatehouseClientError && err.status === 422 && /it's required to change the Email/.test(err.message));
    await c.logout();
    assert.equal(await c.loginStatus(), false);
    const rendered = c.trace!.render({ maxBody: 0, redactPasswords: true, allHeaders: false });
    assert.match(rendered, /1\. POST http:\/\/127\.0\.0\.1:\d+\/user\/login\?_format=json/);
    assert.match(rendered, /X-CSRF-Token: [A-Za-z0-9_-]{43}/);
    assert.match(rendered, /"pass":"\*\*\*"/);
  });

  it('CLI --dialect d8: login → user update → whoami → logout chained through --state, with --trace', async () => {
    const state = path.join(dir, 'd8.json');
    const login = await cli('login', '--dialect', 'd8', '--url', s.url, '--user', 'bob', '--password', 'bobpass', '--trace', '--state', state);
    assert.equal(login.code, 0, login.err);
    assert.deepEqual(requests(login.out, s.url), ['1. POST /user/login?_format=json']);
    assert.match(readFileSync(state, 'utf8'), /"dialect": "d8"/);
    const uid = JSON.parse(login.out.slice(login.out.indexOf('\n{'))).current_user.uid;
    const upd = await cli('user', 'update', uid, '--dialect', 'd8', '--state', state, '--set', 'timezone=Asia/Seoul', '--trace');
    assert.equal(upd.code, 0, upd.err);
    assert.deepEqual(requests(upd.out, s.url), [`2. PATCH /user/${uid}?_format=json`], 'numbering continues through the state file');
    assert.match(upd.out, /X-CSRF-Token: /);
    const who = await cli('whoami', '--dialect', 'd8', '--state', state);
    assert.deepEqual(JSON.parse(who.out), { logged_in: true });
    const out = await cli('logout', '--dialect', 'd8', '--state', state, '--trace');
    assert.equal(out.code, 0, out.err);
    assert.match(out.out, /POST \S+\/user\/logout\?_format=json&token=[A-Za-z0-9_-]{43}/);
    assert.match(out.out, /→ HTTP\/1\.1 204 No Content/);
    const after = await cli('whoami', '--dialect', 'd8', '--state', state);
    assert.deepEqual(JSON.parse(after.out), { logged_in: false });
  });

  it('CLI --dialect d8: errors print the message and exit 1; commands without a counterpart are refused', async () => {
    const bad = await cli('login', '--dialect', 'd8', '--url', s.url, '--user', 'alice', '--password', 'wrong');
    assert.equal(bad.code, 1);
    assert.match(bad.err, /400 .*Unrecognized username or password\./);
    const none = await cli('connect', '--dialect', 'd8', '--url', s.url);
    assert.equal(none.code, 1);
    assert.match(none.err, /connect has no Drupal 8\+ counterpart/);
  });
});
