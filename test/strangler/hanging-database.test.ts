import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../src/config/load-config.js';
import { createFastTestHasher } from '../../src/core/passwords/password-hasher.js';
import { createServer } from '../../src/gatehouse.js';
import { call } from '../helpers/http.js';
import { API_ENDPOINT } from './strangler-server.js';

/** A "database" that accepts connections and never says a word; the test decides when to hang up. */
async function startSilentServer(): Promise<{ port: number; accepted: net.Socket[]; close(): Promise<void> }> {
  const accepted: net.Socket[] = [];
  const server = net.createServer((socket) => { accepted.push(socket); socket.on('error', () => undefined); });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return { port, accepted, close: () => { for (const s of accepted) s.destroy(); return new Promise((resolve) => server.close(() => resolve())); } };
}

const until = async (what: string, ok: () => boolean) => {
  for (let i = 0; i < 400 && !ok(); i++) await new Promise((r) => setTimeout(r, 25));
  assert.ok(ok(), `never happened: ${what}`);
};

describe('strangler mode: a legacy database that accepts connections and never answers', () => {
  let silent: Awaited<ReturnType<typeof startSilentServer>>;
  let gate: Awaited<ReturnType<typeof createServer>>;
  let url = '';
  let dir = '';
  const warnings: string[] = [];
  const log = { warn: (_o: object, msg: string) => { warnings.push(msg); }, info: () => undefined };

  before(async () => {
    silent = await startSilentServer();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-hang-'));
    const config = loadConfig({ env: {}, overrides: {
      host: '127.0.0.1', port: 0, databaseUrl: `sqlite:${path.join(dir, 'g.sqlite')}`, logLevel: 'silent', mailWorker: false,
      endpoints: [API_ENDPOINT], siteDefaults: { user_register: 1, user_email_verification: false },
      // A connect timeout far beyond the test: nothing below may wait for it.
      legacy: { origin: null, databaseUrl: `mysql://root@127.0.0.1:${silent.port}/drupal`, timeoutMs: 600_000, forward: 'unserved', retryIntervalMs: 3_600_000 },
    } });
    gate = await createServer(config, { hasher: createFastTestHasher(), logger: false, legacyLog: log });
    await gate.app.listen({ host: '127.0.0.1', port: 0 });
    url = `http://127.0.0.1:${(gate.app.server.address() as net.AddressInfo).port}`;
  });
  after(async () => {
    await gate?.close();
    await silent?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('listens and answers while the start probe is still waiting', async () => {
    await until('the probe to connect', () => silent.accepted.length === 1);
    const res = await call(`${url}/api/system/connect`, { method: 'POST' });
    assert.equal(res.status, 200, res.text);
    assert.equal(gate.legacy!.health.state, 'unknown', 'the probe has not resolved');
    assert.equal(silent.accepted[0].destroyed, false, 'its connection is still hanging');
    assert.deepEqual(warnings, []);
  });

  it('probes once and warns once when the database turns out to be away', async () => {
    silent.accepted[0].destroy();
    await until('the probe to give up', () => gate.legacy!.health.state === 'down');
    assert.equal(gate.legacy!.health.probes, 1);
    assert.equal(silent.accepted.length, 1, 'one connection: one probe');
    assert.equal(warnings.filter((w) => /legacy database unreachable/.test(w)).length, 1);
  });

  it('answers a registration at once with 503, a Services status line, the reason and Retry-After', async () => {
    const res = await call(`${url}/api/user/register`, { method: 'POST', json: { name: 'waiting_walt', mail: 'walt@example.test', pass: 'walt-pass-1' } });
    assert.equal(res.status, 503);
    assert.match(res.reason, /^: New accounts cannot be created now: they take their uid from the legacy Drupal site's sequence, and its database cannot be reached\. Try again later\.$/);
    assert.deepEqual(res.json, [res.reason.slice(2)]);
    assert.equal(res.headers.get('retry-after'), '3600');
    assert.equal(silent.accepted.length, 1, 'the registration did not try the database');
    assert.equal(await gate.store.accounts.nameTaken('waiting_walt'), false, 'and left no account behind');
    assert.equal(gate.legacy!.health.probes, 1);
  });
});
