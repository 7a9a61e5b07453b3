// The claim on PostgreSQL (FOR UPDATE SKIP LOCKED): concurrent workers never send a row twice. Runs against
// GATEHOUSE_TEST_PG_URL (default: the local server's `test` database), in a schema of its own; skipped when
// no server answers.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { OutboxWorker } from '../../src/mail/outbox-worker.js';
import { CaptureTransport } from '../../src/mail/transports/capture.js';
import { type DatabaseHandle, openDatabase } from '../../src/storage/database.js';
import { migrateToLatest } from '../../src/storage/migrate.js';
import { enqueue, fakeClock, rows, waitFor } from './helpers.js';

const URL_ = process.env.GATEHOUSE_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const SCHEMA = `gh_mail_test_${process.pid}_${Date.now()}`;
const handles: DatabaseHandle[] = [];
let admin: DatabaseHandle | null = null;
let skip: string | false = false;

before(async () => {
  try {
    admin = await openDatabase(URL_, { poolSize: 1 });
    await admin.db.schema.createSchema(SCHEMA).execute();
  } catch (e) {
    skip = `no PostgreSQL at ${URL_}: ${(e as Error).message}`;
  }
});

after(async () => {
  for (const h of handles) await h.close().catch(() => undefined);
  if (admin && !skip) await admin.db.schema.dropSchema(SCHEMA).ifExists().cascade().execute().catch(() => undefined);
  await admin?.close().catch(() => undefined);
});

async function open(): Promise<DatabaseHandle> {
  const h = await openDatabase(URL_, { schema: SCHEMA, poolSize: 4 });
  handles.push(h);
  return h;
}

test('PostgreSQL: concurrent claims never hand out a row twice', async (t) => {
  if (skip) return t.skip(skip);
  const h = await open();
  await migrateToLatest(h.db, h.dialect);
  const clock = fakeClock();
  await enqueue(h, 50, clock.now());
  const workers = await Promise.all([0, 1, 2, 3].map(async () => new OutboxWorker({ ...(await open()), transport: new CaptureTransport(), clock: clock.now, batchSize: 7 })));
  const claims = (await Promise.all(workers.map((w) => w.claim()))).flat();
  const again = (await Promise.all(workers.map((w) => w.claim()))).flat();
  const ids = [...claims, ...again].map((r) => r.id);
  assert.equal(new Set(ids).size, ids.length, 'a row was claimed twice');
  assert.equal(ids.length, 50 > 56 ? 56 : Math.min(50, 56));
  assert.ok([...claims, ...again].every((r) => typeof r.id === 'number' && r.attempts === 1 && r.locked_until === clock.now() + 600));
});

test('PostgreSQL: two workers deliver every row exactly once', async (t) => {
  if (skip) return t.skip(skip);
  const h = await open();
  await h.db.deleteFrom('outbox').execute();
  await enqueue(h, 60, Math.floor(Date.now() / 1000) - 1);
  const capture = new CaptureTransport(async () => { await new Promise((r) => setTimeout(r, 2)); });
  const a = new OutboxWorker({ ...(await open()), transport: capture, batchSize: 4, pollIntervalMs: 10 });
  const b = new OutboxWorker({ ...(await open()), transport: capture, batchSize: 4, pollIntervalMs: 10 });
  a.start(); b.start();
  await waitFor(async () => (await rows(h)).every((r) => r.status === 'sent'), 20_000, 'all sent');
  await Promise.all([a.stop(), b.stop()]);
  const ids = capture.sent.map((m) => m.messageId);
  assert.equal(ids.length, 60);
  assert.equal(new Set(ids).size, 60);
});
