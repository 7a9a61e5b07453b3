// Several workers on one SQLite file never send a row twice; a restarted worker delivers what was left,
// once.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { OutboxWorker } from '../../src/mail/outbox-worker.js';
import { CaptureTransport } from '../../src/mail/transports/capture.js';
import { createSmtpTransport } from '../../src/mail/transports/smtp.js';
import { enqueue, fakeClock, rows, startSmtp, tempDb, type TempDb, waitFor } from './helpers.js';

const dbs: TempDb[] = [];
after(async () => { for (const d of dbs) await d.cleanup(); });
async function db(): Promise<TempDb> { const d = await tempDb(); dbs.push(d); return d; }

function assertEachOnce(messageIds: string[], count: number): void {
  assert.equal(messageIds.length, count, `${messageIds.length} deliveries for ${count} rows`);
  assert.equal(new Set(messageIds).size, count, 'a row was delivered twice');
}

test('two workers (two connections) on one SQLite file: every row delivered exactly once', async () => {
  const d = await db();
  const smtp = await startSmtp({ kind: 'accept', delayMs: 3 });
  try {
    await enqueue(d.handle, 40, Math.floor(Date.now() / 1000));
    const second = await d.reopen();
    const mk = (h: typeof d.handle) => new OutboxWorker({
      ...h, transport: createSmtpTransport({ host: '127.0.0.1', port: smtp.port }), batchSize: 3, pollIntervalMs: 20,
    });
    const a = mk(d.handle);
    const b = mk(second);
    a.start(); b.start();
    await waitFor(async () => (await rows(d.handle)).every((r) => r.status === 'sent'), 20_000, 'all rows sent');
    await Promise.all([a.stop(), b.stop()]);
    assertEachOnce(smtp.received.map((r) => r.messageId), 40);
    assert.ok((await rows(d.handle)).every((r) => r.attempts === 1));
  } finally {
    await smtp.close();
  }
});

const CHILD = `
const [file, port, src] = process.argv.slice(1);
const { openDatabase } = await import(src + 'storage/database.ts');
const { OutboxWorker } = await import(src + 'mail/outbox-worker.ts');
const { createSmtpTransport } = await import(src + 'mail/transports/smtp.ts');
const h = await openDatabase('sqlite:' + file);
const w = new OutboxWorker({ ...h, transport: createSmtpTransport({ host: '127.0.0.1', port: Number(port) }), batchSize: 2 });
let sent = 0;
for (;;) {
  sent += (await w.drain()).sent;
  const left = await h.db.selectFrom('outbox').select('id').where('status', '=', 'pending').execute();
  if (left.length === 0) break;
  await new Promise((r) => setTimeout(r, 5));
}
await h.close();
console.log(JSON.stringify({ sent }));
`;

function runChild(file: string, port: number): Promise<{ sent: number }> {
  const src = pathToFileURL(new URL('../../src/', import.meta.url).pathname).href;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', CHILD, file, String(port), src], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = ''; let err = '';
    child.stdout.on('data', (c) => { out += c; });
    child.stderr.on('data', (c) => { err += c; });
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop() ?? '{}')) : reject(new Error(`child exited ${code}: ${err}`))));
  });
}

test('three worker processes on one SQLite file: every row delivered exactly once', async () => {
  const d = await db();
  const smtp = await startSmtp({ kind: 'accept', delayMs: 2 });
  try {
    await enqueue(d.handle, 60, Math.floor(Date.now() / 1000) - 1);
    const results = await Promise.all([runChild(d.file, smtp.port), runChild(d.file, smtp.port), runChild(d.file, smtp.port)]);
    console.log("per-process sends", results.map((r) => r.sent).join(" "));
    assert.equal(results.reduce((n, r) => n + r.sent, 0), 60);
    assertEachOnce(smtp.received.map((r) => r.messageId), 60);
    const all = await rows(d.handle);
    assert.ok(all.every((r) => r.status === 'sent' && r.attempts === 1));
  } finally {
    await smtp.close();
  }
});

test('graceful restart: stop() finishes the send in flight and hands the rest back; the next worker sends them once', async () => {
  const d = await db();
  const clock = fakeClock();
  await enqueue(d.handle, 5, clock.now());
  let release!: () => void;
  const gate = new Promise<void>((r) => { release = r; });
  const first = new CaptureTransport(async () => { await gate; });
  const w1 = new OutboxWorker({ ...d.handle, transport: first, clock: clock.now, batchSize: 5, pollIntervalMs: 10 });
  w1.start();
  await waitFor(() => true, 10); // let the loop claim
  await new Promise((r) => setTimeout(r, 50));
  const stopping = w1.stop();
  release();
  await stopping;
  assert.equal(first.sent.length, 1, 'the in-flight send was completed, no new one started');
  const afterStop = await rows(d.handle);
  assert.deepEqual(afterStop.map((r) => r.status), ['sent', 'pending', 'pending', 'pending', 'pending']);
  assert.ok(afterStop.slice(1).every((r) => r.locked_until === 0 && r.attempts === 0), 'unsent claims released, attempt not counted');

  const handle2 = await d.reopen();
  const second = new CaptureTransport();
  const w2 = new OutboxWorker({ ...handle2, transport: second, clock: clock.now });
  assert.deepEqual(await w2.drain(), { sent: 4, retried: 0, dead: 0 });
  assertEachOnce([...first.sent, ...second.sent].map((m) => m.messageId), 5);
});

test('crash restart: rows claimed by a dead worker are delivered once after the lease, with the same Message-ID', async () => {
  const d = await db();
  const clock = fakeClock();
  await enqueue(d.handle, 3, clock.now());
  const crashed = new OutboxWorker({ ...d.handle, transport: new CaptureTransport(), clock: clock.now, leaseSeconds: 300 });
  const claimed = await crashed.claim(); // …and the process dies before sending
  assert.equal(claimed.length, 3);

  const handle2 = await d.reopen();
  const capture = new CaptureTransport();
  const w2 = new OutboxWorker({ ...handle2, transport: capture, clock: clock.now, leaseSeconds: 300 });
  assert.deepEqual(await w2.drain(), { sent: 0, retried: 0, dead: 0 }, 'claimed rows are untouchable during the lease');
  clock.advance(300);
  assert.deepEqual(await w2.drain(), { sent: 3, retried: 0, dead: 0 });
  assert.deepEqual(await w2.drain(), { sent: 0, retried: 0, dead: 0 });
  assertEachOnce(capture.sent.map((m) => m.messageId), 3);
  assert.deepEqual(capture.sent.map((m) => m.messageId), claimed.map((r) => `<gatehouse.${r.id}.${r.created}@example.com>`));
  assert.ok((await rows(d.handle)).every((r) => r.status === 'sent' && r.attempts === 2));
});

test('wake(): a started worker picks up new mail at once instead of at the next poll', async () => {
  const d = await db();
  const capture = new CaptureTransport();
  const w = new OutboxWorker({ ...d.handle, transport: capture, pollIntervalMs: 60_000 });
  w.start();
  try {
    await new Promise((r) => setTimeout(r, 50)); // now sleeping for a minute
    await enqueue(d.handle, 1, Math.floor(Date.now() / 1000));
    w.wake();
    await waitFor(() => capture.sent.length === 1, 2000, 'the woken worker to send');
  } finally {
    const t0 = Date.now();
    await w.stop();
    assert.ok(Date.now() - t0 < 1000, 'stop() interrupts the idle sleep');
  }
});
