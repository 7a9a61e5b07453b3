// The outbox worker against real SMTP servers (smtp-server on ephemeral ports): delivered, server down,
// server hanging, server refusing.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { createAccountMailer } from '../../src/mail/account-mailer.js';
import { messageIdFor, OutboxWorker } from '../../src/mail/outbox-worker.js';
import { createSmtpTransport } from '../../src/mail/transports/smtp.js';
import { SiteSettings } from '../../src/core/settings/site-settings.js';
import { KyselyOutbox } from '../../src/storage/outbox-repository.js';
import { closedPort, enqueue, fakeClock, rows, startMuteServer, startSmtp, tempDb, type TempDb } from './helpers.js';

const dbs: TempDb[] = [];
after(async () => { for (const d of dbs) await d.cleanup(); });
async function db(): Promise<TempDb> { const d = await tempDb(); dbs.push(d); return d; }

const FAST = { connectionTimeoutMs: 500, greetingTimeoutMs: 500, socketTimeoutMs: 500 };

test('delivers a composed account mail: recipient, subject, Message-ID; row marked sent', async () => {
  const d = await db();
  const clock = fakeClock();
  const smtp = await startSmtp({ kind: 'accept' });
  try {
    const settings = SiteSettings.of({ site_name: 'Gatehouse test', site_mail: 'site@example.org' });
    const account = { uid: 7, name: 'zoe', pass: '$S$Dx', mail: 'zoe@example.net', theme: '', signature: '', signature_format: null,
      created: 1, changed: 1, access: 0, login: 0, status: 1, timezone: null, language: '', picture: 0, init: '', data: null };
    const composed = createAccountMailer().compose('password_reset', account, { settings, keys: { privateKey: 'k', hashSalt: 's' }, baseUrl: 'https://gh.example', now: clock.now() });
    await new KyselyOutbox(d.handle.db).enqueue(composed, clock.now());

    const worker = new OutboxWorker({ ...d.handle, transport: createSmtpTransport({ host: '127.0.0.1', port: smtp.port, ...FAST }), clock: clock.now });
    const r = await worker.drain();
    assert.deepEqual(r, { sent: 1, retried: 0, dead: 0 });
    assert.equal(smtp.received.length, 1);
    const got = smtp.received[0];
    assert.deepEqual(got.to, ['zoe@example.net']);
    assert.equal(got.from, 'site@example.org');
    assert.equal(got.subject, composed.subject);
    assert.equal(got.subject, 'Sign-in link for zoe at Gatehouse test');
    assert.match(got.raw, /^From: Gatehouse test <site@example\.org>$/m);
    assert.equal(got.text, composed.body);
    assert.match(got.text, /https:\/\/gh\.example\/user\/reset\/7\/1800000000\/[A-Za-z0-9_-]{43}/);
    const [row] = await rows(d.handle);
    assert.equal(got.messageId, messageIdFor(row));
    assert.equal(row.status, 'sent');
    assert.equal(row.sent_at, clock.now());
    assert.equal(row.attempts, 1);
    assert.equal(row.last_error, null);
    assert.deepEqual(await worker.drain(), { sent: 0, retried: 0, dead: 0 }, 'nothing sent twice');
  } finally {
    await smtp.close();
  }
});

test('plain ASCII subject arrives as is', async () => {
  const d = await db();
  const clock = fakeClock();
  const smtp = await startSmtp({ kind: 'accept' });
  try {
    await enqueue(d.handle, 1, clock.now());
    const worker = new OutboxWorker({ ...d.handle, transport: createSmtpTransport({ host: '127.0.0.1', port: smtp.port, ...FAST }), clock: clock.now });
    await worker.drain();
    assert.equal(smtp.received[0].subject, 'Message 1');
    assert.deepEqual(smtp.received[0].to, ['user1@example.com']);
  } finally {
    await smtp.close();
  }
});

test('SMTP down (connection refused): retried later, then delivered once the server is up', async () => {
  const d = await db();
  const clock = fakeClock();
  const port = await closedPort();
  await enqueue(d.handle, 1, clock.now());
  const worker = new OutboxWorker({ ...d.handle, transport: createSmtpTransport({ host: '127.0.0.1', port, ...FAST }), clock: clock.now, retryJitter: 0, retryBaseSeconds: 60 });
  assert.deepEqual(await worker.drain(), { sent: 0, retried: 1, dead: 0 });
  let [row] = await rows(d.handle);
  assert.equal(row.status, 'pending');
  assert.equal(row.attempts, 1);
  assert.equal(row.next_attempt_at, clock.now() + 60);
  assert.equal(row.locked_until, 0);
  assert.match(row.last_error, /ECONNREFUSED|ECONNECTION/);

  clock.advance(30);
  assert.deepEqual(await worker.drain(), { sent: 0, retried: 0, dead: 0 }, 'not before its time');

  const smtp = await startSmtp({ kind: 'accept' }, port);
  try {
    clock.advance(30);
    assert.deepEqual(await worker.drain(), { sent: 1, retried: 0, dead: 0 });
    [row] = await rows(d.handle);
    assert.equal(row.status, 'sent');
    assert.equal(row.attempts, 2);
    assert.equal(smtp.received.length, 1);
  } finally {
    await smtp.close();
  }
});

test('SMTP accepting the connection and never answering: times out, retried; the worker is not stuck', async () => {
  const d = await db();
  const clock = fakeClock();
  const mute = await startMuteServer();
  try {
    await enqueue(d.handle, 2, clock.now());
    const worker = new OutboxWorker({ ...d.handle, transport: createSmtpTransport({ host: '127.0.0.1', port: mute.port, ...FAST }), clock: clock.now, pollIntervalMs: 50 });
    const t0 = Date.now();
    assert.deepEqual(await worker.drain(), { sent: 0, retried: 2, dead: 0 });
    const elapsed = Date.now() - t0;
    assert.ok(elapsed < 4000, `drain took ${elapsed} ms`);
    assert.ok(mute.connections >= 2);
    for (const row of await rows(d.handle)) {
      assert.equal(row.status, 'pending');
      assert.equal(row.locked_until, 0);
      assert.match(row.last_error, /timeout|ETIMEDOUT|Greeting never received|no answer/i);
    }
    // The background loop also stops promptly while a send hangs.
    clock.advance(3600);
    worker.start();
    await new Promise((r) => setTimeout(r, 100));
    const s0 = Date.now();
    await worker.stop();
    assert.ok(Date.now() - s0 < 2500, 'stop waited at most for the in-flight send');
  } finally {
    await mute.close();
  }
});

test('SMTP taking the message and never acknowledging it: socket timeout, retried', async () => {
  const d = await db();
  const clock = fakeClock();
  const smtp = await startSmtp({ kind: 'silent-after-data' });
  try {
    await enqueue(d.handle, 1, clock.now());
    const worker = new OutboxWorker({ ...d.handle, transport: createSmtpTransport({ host: '127.0.0.1', port: smtp.port, ...FAST }), clock: clock.now });
    const t0 = Date.now();
    assert.deepEqual(await worker.drain(), { sent: 0, retried: 1, dead: 0 });
    assert.ok(Date.now() - t0 < 3000);
    const [row] = await rows(d.handle);
    assert.equal(row.status, 'pending');
    assert.match(row.last_error, /timeout|ETIMEDOUT|no answer/i);
  } finally {
    await smtp.close();
  }
});

test('SMTP rejecting (550): retried with growing delays, then dead after maxAttempts', async () => {
  const d = await db();
  const clock = fakeClock();
  const smtp = await startSmtp({ kind: 'reject', code: 550, message: 'No such user here' });
  try {
    await enqueue(d.handle, 1, clock.now());
    const worker = new OutboxWorker({
      ...d.handle, transport: createSmtpTransport({ host: '127.0.0.1', port: smtp.port, ...FAST }), clock: clock.now,
      maxAttempts: 4, retryBaseSeconds: 10, retryMaxSeconds: 25, retryJitter: 0,
    });
    const delays: number[] = [];
    for (let attempt = 1; attempt <= 3; attempt++) {
      assert.deepEqual(await worker.drain(), { sent: 0, retried: 1, dead: 0 }, `attempt ${attempt}`);
      const [row] = await rows(d.handle);
      assert.equal(row.attempts, attempt);
      assert.match(row.last_error, /550/);
      delays.push(row.next_attempt_at - clock.now());
      clock.set(row.next_attempt_at);
    }
    assert.deepEqual(delays, [10, 20, 25], 'exponential, capped');
    assert.deepEqual(await worker.drain(), { sent: 0, retried: 0, dead: 1 });
    const [row] = await rows(d.handle);
    assert.equal(row.status, 'dead');
    assert.equal(row.attempts, 4);
    clock.advance(10 ** 6);
    assert.deepEqual(await worker.drain(), { sent: 0, retried: 0, dead: 0 }, 'dead rows stay dead');
    assert.equal(smtp.received.length, 0);
  } finally {
    await smtp.close();
  }
});
