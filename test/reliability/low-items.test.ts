// The low items: an unparseable Content-Type keeps Drupal's 500 but is a logged client error outside the
// server-error metrics; URL secrets never reach the log at any level; a worker killed mid-send leaves no
// mail waiting for its lease.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { loadConfig } from '../../src/config/load-config.js';
import { createFastTestHasher } from '../../src/core/passwords/password-hasher.js';
import { createServer } from '../../src/gatehouse.js';
import { OutboxWorker } from '../../src/mail/outbox-worker.js';
import type { MailTransport, TransportMessage } from '../../src/mail/transports/transport.js';
import { request } from './raw.js';

async function loggedServer() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-rel-'));
  const lines: string[] = [];
  const stream = new Writable({ write(chunk, _enc, done) { lines.push(String(chunk)); done(); } });
  const config = loadConfig({ env: {}, overrides: { host: '127.0.0.1', port: 0, databaseUrl: `sqlite:${path.join(dir, 'g.sqlite')}`, mailWorker: false, logLevel: 'trace' } });
  const server = await createServer(config, { hasher: createFastTestHasher(), logger: { level: 'trace', stream } });
  await server.app.listen({ host: '127.0.0.1', port: 0 });
  const address = server.app.server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return { url, lines, server, close: async () => { await server.close(); fs.rmSync(dir, { recursive: true, force: true }); } };
}

describe('logs and metrics', () => {
  it('an unparseable Content-Type: 500 as Drupal answered, logged as a client error, counted apart from server errors', async () => {
    const s = await loggedServer();
    try {
      const r = await request(`${s.url}/rest/user/login.json`, { body: '{}', headers: { 'Content-Type': 'nonsense' } });
      assert.equal(r.status, 500);
      assert.ok(s.lines.some((l) => /"level":40/.test(l) && /unparseable Content-Type/.test(l)), 'a warning names the client error');
      assert.ok(!s.lines.some((l) => /"level":50/.test(l)), 'no error-level line');
      const metrics = (await request(`${s.url}/metrics`)).text;
      assert.match(metrics, /status="500-client"/);
      assert.doesNotMatch(metrics, /status="500"/);
    } finally { await s.close(); }
  });

  it('one-time link hashes and services_token values never reach the log, even at trace level', async () => {
    const s = await loggedServer();
    const hash = 'SeCrEtHaShSeCrEtHaShSeCrEtHaSh0123456789abc';
    try {
      await request(`${s.url}/user/reset/1/1700000000/${hash}`, { headers: { Accept: 'text/html' } });
      await request(`${s.url}/?q=user/reset/1/1700000000/${hash}/login`, { headers: { Accept: 'text/html' } });
      await request(`${s.url}/user/1/cancel/confirm/1700000000/${hash}`);
      await request(`${s.url}/rest/user/1.json?services_token=TOKENSECRET123`);
      assert.ok(s.lines.length > 4, 'trace logging is on');
      const all = s.lines.join('');
      assert.ok(all.includes('[redacted]'));
      assert.ok(!all.includes(hash), 'no link hash in the log');
      assert.ok(!all.includes('TOKENSECRET123'), 'no services_token in the log');
    } finally { await s.close(); }
  });
});

describe('a worker killed with kill -9', () => {
  it('its claimed mails are taken back when a worker starts, not after the lease', async () => {
    const s = await loggedServer();
    try {
      const db = s.server.database.db;
      const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
      const now = Math.floor(Date.now() / 1000);
      await db.insertInto('outbox').values({
        mail_id: 'test', recipient: 'a@example.com', sender: 'site@example.com', subject: 'claimed', body: 'hello', headers: '{}',
        status: 'pending', attempts: 1, next_attempt_at: now, locked_until: now + 600, last_error: null, created: now, sent_at: null,
        claimed_by: `${os.hostname()}:${dead}:0123456789ab`,
      } as never).execute();
      await db.insertInto('outbox').values({
        mail_id: 'live', recipient: 'b@example.com', sender: 'site@example.com', subject: 'held by a live worker', body: 'hello', headers: '{}',
        status: 'pending', attempts: 1, next_attempt_at: now, locked_until: now + 600, last_error: null, created: now, sent_at: null,
        claimed_by: `${os.hostname()}:${process.ppid}:0123456789ab`,
      } as never).execute();
      const sent: TransportMessage[] = [];
      const transport: MailTransport = { name: 'capture', description: 'kept in memory (test)', check: async () => undefined, send: async (m) => { sent.push(m); return { response: 'ok' }; }, close: async () => undefined };
      const worker = new OutboxWorker({ db, dialect: s.server.database.dialect, transport, pollIntervalMs: 20 });
      worker.start();
      for (let i = 0; i < 200 && sent.length === 0; i++) await new Promise((r) => setTimeout(r, 25));
      await worker.stop();
      assert.deepEqual(sent.map((m) => m.subject), ['claimed']);
      const rows = await db.selectFrom('outbox').select(['subject', 'status', 'attempts']).orderBy('id').execute();
      assert.deepEqual(rows, [{ subject: 'claimed', status: 'sent', attempts: 1 }, { subject: 'held by a live worker', status: 'pending', attempts: 1 }]);
    } finally { await s.close(); }
  });
});
