/**
 * `gatehouse client …` through `runClientCli`: the numbered `--trace` output, chaining commands through a
 * `--state` file, exit codes and error output. First against the recorded real site (transcript replay),
 * then against our own server (test/helpers/test-server.ts).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runClientCli } from '../../src/cli/commands/client.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { startTranscriptServer, type TranscriptServer } from '../helpers/transcript-server.js';

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runClientCli(argv, { out: (t) => void (out += t), err: (t) => void (err += t) });
  return { code, out, err };
}

/** Numbered request lines of a trace: `1. POST /rest/user/login` (host removed). */
function requests(out: string, base: string): string[] {
  return out.split('\n').filter((l) => /^\d+\. /.test(l)).map((l) => l.split(base).join('').replace(/\s+\(.*\)$/, ''));
}

const dir = mkdtempSync(path.join(tmpdir(), 'gh-client-cli-'));

describe('CLI against the recorded site (seed-login, chained through --state)', () => {
  let s: TranscriptServer;
  before(async () => { s = await startTranscriptServer('seed-login'); });
  after(async () => { await s.close(); });

  it('login → token → user get → user update → logout across five invocations', async () => {
    const state = path.join(dir, 'seed-login.json');
    const login = await cli('client', 'login', '--url', s.url, '--user', 'admin', '--password', 'admin', '--trace', '--state', state);
    assert.equal(login.code, 0, login.err);
    assert.deepEqual(requests(login.out, s.url), ['1. POST /rest/user/login']);
    assert.match(login.out, /→ HTTP\/1\.1 200 OK\n\s+Set-Cookie: SESSfe96f6b8880f9bdcaa7dadae3db02b95=_XBe98Ob9/);
    assert.match(readFileSync(state, 'utf8'), /_XBe98Ob9unpfkvLMRFkNRqGmxCXtP0tTgHdQ8DcnKI/);

    const token = await cli('token', '--state', state, '--trace');
    assert.equal(token.code, 0, token.err);
    assert.deepEqual(requests(token.out, s.url), ['2. GET /services/session/token'], 'numbering continues through the state file');
    assert.match(token.out, /Cookie: SESSfe96f6b8880f9bdcaa7dadae3db02b95=_XBe98Ob9unpfkvLMRFkNRqGmxCXtP0tTgHdQ8DcnKI/);
    assert.match(token.out, /\nB8aDOoAg6Xtb54KAYik_8dQWOsjFrIS8RRTbVM0xTG8\n$/);

    const get = await cli('user', 'get', '1', '--state', state);
    assert.equal(get.code, 0, get.err);
    assert.equal(JSON.parse(get.out).name, 'admin');

    const upd = await cli('user', 'update', '1', '--state', state, '--set', 'signature=hello from peer', '--set', 'timezone=Europe/Paris', '--trace');
    assert.equal(upd.code, 0, upd.err);
    assert.match(upd.out, /X-CSRF-Token: B8aDOoAg6Xtb54KAYik_8dQWOsjFrIS8RRTbVM0xTG8/);

    const out = await cli('logout', '--state', state, '--trace');
    assert.equal(out.code, 0, out.err);
    assert.match(out.out, /Set-Cookie: SESSfe96f6b8880f9bdcaa7dadae3db02b95=deleted;/);
    assert.doesNotMatch(readFileSync(state, 'utf8'), /_XBe98Ob9/, 'the deleted cookie is gone from the state file');

    for (const r of s.received) assert.equal(r.headers.cookie, s.recordedHeader(r, 'Cookie'), `${r.method} ${r.path}`);
  });

  it('an error answer prints the status line and exits 1', async () => {
    const t = await startTranscriptServer('seed-login', { steps: [12] });
    try {
      const r = await cli('logout', '--url', t.url);
      assert.equal(r.code, 1);
      assert.equal(r.err, 'error: 406 Not Acceptable : User is not logged in.\n');
    } finally {
      await t.close();
    }
  });

  it('usage errors exit non-zero without a request', async () => {
    const r = await cli('user', 'get', '1');
    assert.equal(r.code, 1);
    assert.match(r.err, /--url is required/);
  });
});

describe('CLI against the recorded site (seed-register)', () => {
  it('register --trace prints connect → token → register → token', async () => {
    const s = await startTranscriptServer('seed-register');
    try {
      const r = await cli('register', '--url', s.url, '--name', 'newuser1', '--mail', 'newuser1@example.com', '--pass', 'secret1', '--trace');
      assert.equal(r.code, 0, r.err);
      assert.deepEqual(requests(r.out, s.url), [
        '1. POST /rest/system/connect',
        '2. GET /services/session/token',
        '3. POST /rest/user/register',
        '4. GET /services/session/token',
      ]);
      assert.match(r.out, /"pass":"\*\*\*"/);
      assert.deepEqual(JSON.parse(r.out.slice(r.out.lastIndexOf('\n{'))), { uid: '5', uri: `${s.url}/rest/user/5` });
    } finally {
      await s.close();
    }
  });
});

// ---- against our server -------------------------------------------------------------------------------
async function startServer(): Promise<TestServer> {
  return startTestServer({ preset: 'peer' });
}

describe('CLI against Gatehouse (test server, peer preset)', () => {
  let srv: TestServer;
  before(async () => { srv = await startServer(); });
  after(async () => { await srv?.close(); });

  it('prints the login sequence with --trace and chains through --state', async () => {
    const state = path.join(dir, 'gatehouse.json');
    const login = await cli('login', '--url', srv.url, '--user', 'alice', '--password', 'alicepass', '--trace', '--state', state);
    assert.equal(login.code, 0, login.err);
    assert.deepEqual(requests(login.out, srv.url), ['1. POST /rest/user/login']);
    assert.match(login.out, /→ HTTP\/1\.1 200 OK\n\s+Set-Cookie: SESS[0-9a-f]{32}=[A-Za-z0-9_-]{43}; expires=[^;]+; Max-Age=2000000; path=\/; HttpOnly/);
    const who = await cli('whoami', '--state', state, '--trace');
    assert.equal(who.code, 0, who.err);
    assert.match(who.out, /X-CSRF-Token: [A-Za-z0-9_-]{43}/);
    assert.equal(JSON.parse(who.out.slice(who.out.indexOf('\n{'))).name, 'alice');
    const upd = await cli('user', 'update', '2', '--state', state, '--set', 'signature=via cli');
    assert.equal(upd.code, 0, upd.err);
    assert.equal(JSON.parse(upd.out).uid, '2');
    const bye = await cli('logout', '--state', state, '--trace');
    assert.equal(bye.code, 0, bye.err);
    assert.match(bye.out, /=deleted; expires=Thu, 01 Jan 1970 00:00:01 GMT; Max-Age=0; path=\/; HttpOnly/);
    const again = await cli('logout', '--state', state);
    assert.equal(again.code, 1);
    assert.equal(again.err, 'error: 406 Not Acceptable : User is not logged in.\n');
  });

  it('prints the register sequence with --trace', async () => {
    const r = await cli('register', '--url', srv.url, '--name', 'clinew', '--mail', 'clinew@example.com', '--pass', 'pw1', '--trace');
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(requests(r.out, srv.url), [
      '1. POST /rest/system/connect',
      '2. GET /services/session/token',
      '3. POST /rest/user/register',
      '4. GET /services/session/token',
    ]);
    assert.match(r.out, /3\. POST .*\n(\s+.*\n)*?\s+→ HTTP\/1\.1 200 OK\n\s+Set-Cookie: SESS/);
    assert.match(r.out, /4\. GET .*\n\s+Cookie: SESS[0-9a-f]{32}=/);
  });

  it('admin commands: index, delete, password request', async () => {
    const idx = await cli('user', 'index', '--url', srv.url, '--user', 'admin', '--password', 'admin', '--fields', 'uid,name', '--param', 'name=bob', '--trace');
    assert.equal(idx.code, 0, idx.err);
    assert.match(idx.out, /2\. GET \S+\/rest\/user\?fields=uid,name&parameters%5Bname%5D=bob/);
    assert.ok(JSON.parse(idx.out.slice(idx.out.lastIndexOf('\n['))).some((r: { name: string }) => r.name === 'bob'));
    const del = await cli('user', 'delete', '3', '--url', srv.url, '--user', 'admin', '--password', 'admin');
    assert.equal(del.code, 0, del.err);
    assert.equal(del.out.trim(), 'true');
    const pw = await cli('password', 'request', 'alice', '--url', srv.url);
    assert.equal(pw.code, 0, pw.err);
    assert.equal(pw.out.trim(), 'true');
    assert.ok((await srv.mails()).some((m) => m.to === 'alice@example.com' && /\/user\/reset\/2\//.test(m.body)));
  });
});
