// The .eml and SMTP transport settings, transport selection from the environment, and the mail commands.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { Command } from 'commander';
import { listOutbox, registerMailCommands } from '../../src/cli/commands/mail.js';
import { deliveredVia, OutboxWorker } from '../../src/mail/outbox-worker.js';
import { createEmlFolderTransport, emlFileName, smtpOptionsFromUrl, transportFromEnv } from '../../src/mail/transports/index.js';
import { enqueue, fakeClock, rows, tempDb, type TempDb, waitFor } from './helpers.js';

const dbs: TempDb[] = [];
const dirs: string[] = [];
after(async () => {
  for (const d of dbs) await d.cleanup();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});
async function db(): Promise<TempDb> { const d = await tempDb(); dbs.push(d); return d; }
function tmpDir(): string { const d = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-eml-')); dirs.push(d); return d; }

test('smtpOptionsFromUrl', () => {
  assert.deepEqual(smtpOptionsFromUrl('smtp://us%40er:p%3Ass@mail.example.com:2525'), {
    host: 'mail.example.com', port: 2525, secure: false, auth: { user: 'us@er', pass: 'p:ss' },
    requireTLS: undefined, ignoreTLS: undefined, rejectUnauthorized: undefined, from: undefined, clientName: undefined,
  });
  const s = smtpOptionsFromUrl('smtps://relay.example.com?requireTLS=1&rejectUnauthorized=false&timeout=5000&from=noreply%40example.com');
  assert.equal(s.port, 465);
  assert.equal(s.secure, true);
  assert.equal(s.auth, undefined);
  assert.equal(s.requireTLS, true);
  assert.equal(s.rejectUnauthorized, false);
  assert.equal(s.socketTimeoutMs, 5000);
  assert.equal(s.from, 'noreply@example.com');
  assert.equal(smtpOptionsFromUrl('smtp://localhost').port, 25);
  assert.throws(() => smtpOptionsFromUrl('http://x'));
});

test('transportFromEnv: SMTP URL wins, then the mail folder, else none', () => {
  assert.match(transportFromEnv({ GATEHOUSE_SMTP_URL: 'smtp://h:26', GATEHOUSE_MAIL_DIR: '/x' })!.name, /^smtp h:26$/);
  assert.equal(transportFromEnv({ GATEHOUSE_MAIL_DIR: '/x' })!.name, 'eml /x');
  assert.equal(transportFromEnv({}, '/y')!.name, 'eml /y');
  assert.equal(transportFromEnv({}), null);
});

test('.eml folder: one file per row, named by Message-ID, complete RFC 5322 message', async () => {
  const d = await db();
  const dir = tmpDir();
  const clock = fakeClock();
  await enqueue(d.handle, 2, clock.now());
  const worker = new OutboxWorker({ ...d.handle, transport: createEmlFolderTransport(dir), clock: clock.now });
  assert.deepEqual(await worker.drain(), { sent: 2, retried: 0, dead: 0 });
  const files = fs.readdirSync(dir).sort();
  const all = await rows(d.handle);
  assert.deepEqual(files, all.map((r) => emlFileName(`<gatehouse.${r.id}.${r.created}@example.com>`)).sort());
  const eml = fs.readFileSync(path.join(dir, files[0]), 'utf8');
  assert.match(eml, /^To: user1@example\.com$/m);
  assert.match(eml, /^Subject: Message 1$/m);
  assert.match(eml, /^From: Test site <admin@example\.com>$/m);
  assert.match(eml, /^Message-ID: <gatehouse\.1\.1800000000@example\.com>$/m);
  assert.match(eml, /\n\nHello 1,\n\nbody\n/);
});

function program(d: TempDb): Command {
  const p = new Command().exitOverride();
  registerMailCommands(p, async () => ({ db: d.handle.db, dialect: d.handle.dialect, close: async () => {} }));
  return p;
}

async function capture(fn: () => Promise<unknown>): Promise<string> {
  const lines: string[] = [];
  const orig = console.log;
  console.log = (...a: unknown[]) => { lines.push(a.join(' ')); };
  try { await fn(); } finally { console.log = orig; }
  return lines.join('\n');
}

test('mail list / mail retry', async () => {
  const d = await db();
  await enqueue(d.handle, 3, 1_800_000_000);
  await d.handle.db.updateTable('outbox').set({ status: 'dead', attempts: 8, last_error: '550 no such user' }).where('id', 'in', [1, 2]).execute();
  await d.handle.db.updateTable('outbox').set({ status: 'sent', attempts: 1, sent_at: 1_800_000_001 }).where('id', '=', 3).execute();

  const listed = await capture(() => program(d).parseAsync(['node', 'gatehouse', 'mail', 'list', '--status', 'dead']));
  assert.match(listed, /^2\tfailed after 8 attempt\(s\)\t-\tuser_password_reset\tuser2@example\.com\tMessage 2$/m);
  assert.match(listed, /last error: 550 no such user/);
  assert.doesNotMatch(listed, /user3@/);
  await assert.rejects(program(d).parseAsync(['node', 'gatehouse', 'mail', 'list', '--status', 'nope']), /unknown status/);

  assert.match(await capture(() => program(d).parseAsync(['node', 'gatehouse', 'mail', 'retry', '1'])), /1 mail\(s\) requeued/);
  await assert.rejects(program(d).parseAsync(['node', 'gatehouse', 'mail', 'retry', '3']), /no pending or dead mail with id 3/);
  await assert.rejects(program(d).parseAsync(['node', 'gatehouse', 'mail', 'retry']), /either a mail id or --all-dead/);
  assert.deepEqual(JSON.parse(await capture(() => program(d).parseAsync(['node', 'gatehouse', 'mail', 'retry', '--all-dead', '--json']))), { requeued: 1 });
  const after = await listOutbox(d.handle.db);
  assert.deepEqual(after.map((r) => [r.id, r.status, r.attempts]), [[3, 'sent', 1], [2, 'pending', 0], [1, 'pending', 0]]);
  const audited = await d.handle.db.selectFrom('gatehouse_audit').select(['event', 'actor_name', 'detail']).orderBy('id').execute();
  assert.deepEqual(audited, [{ event: 'mail_retry', actor_name: 'gatehouse CLI', detail: 'mail 1' }, { event: 'mail_retry', actor_name: 'gatehouse CLI', detail: 'all 1 dead mails' }]);
  assert.deepEqual(after.map((r) => r.state), ['delivered (transport not recorded)', 'queued', 'queued']);
  await d.handle.db.updateTable('outbox').set({ attempts: 2, last_error: 'ECONNREFUSED' }).where('id', '=', 1).execute();
  await d.handle.db.updateTable('outbox').set({ delivered_via: deliveredVia('smtp mail.example.com:587', '250 2.0.0 Ok') }).where('id', '=', 3).execute();
  assert.deepEqual((await listOutbox(d.handle.db)).map((r) => r.state), ['handed to SMTP mail.example.com:587', 'queued', 'retrying (attempt 2 failed)']);
});

const CHILD = `
const [file, src] = process.argv.slice(1);
const { Command } = await import('commander');
const { openDatabase } = await import(src + 'storage/database.ts');
const { registerMailCommands } = await import(src + 'cli/commands/mail.ts');
const p = new Command();
registerMailCommands(p, () => openDatabase('sqlite:' + file));
await p.parseAsync(['node', 'gatehouse', 'mail-worker', '--poll-interval', '50']);
`;

test('mail-worker delivers until SIGTERM, then exits cleanly', async () => {
  const d = await db();
  const dir = tmpDir();
  await enqueue(d.handle, 2, Math.floor(Date.now() / 1000) - 1);
  const src = pathToFileURL(new URL('../../src/', import.meta.url).pathname).href;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', CHILD, d.file, src], {
    cwd: new URL('../../', import.meta.url).pathname, env: { ...process.env, GATEHOUSE_MAIL_DIR: dir, GATEHOUSE_SMTP_URL: '' }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (c) => { stderr += c; });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    await waitFor(() => fs.readdirSync(dir).filter((f) => f.endsWith('.eml')).length === 2, 15_000, 'two .eml files');
    await enqueue(d.handle, 1, Math.floor(Date.now() / 1000) - 1);
    await waitFor(() => fs.readdirSync(dir).filter((f) => f.endsWith('.eml')).length === 3, 5_000, 'a third .eml file');
  } finally {
    child.kill('SIGTERM');
  }
  assert.equal(await exited, 0, stderr);
  assert.match(stderr, /"msg":"mail worker stopped"/);
  assert.ok((await rows(d.handle)).every((r) => r.status === 'sent'));
  // An .eml file is not a sent mail: the listing says where each one went.
  const states = (await listOutbox(d.handle.db)).map((r) => r.state);
  assert.equal(states.length, 3);
  for (const state of states) assert.match(state, new RegExp(`^written to a file ${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/.+\\.eml$`));
});
