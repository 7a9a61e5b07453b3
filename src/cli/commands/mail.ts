/**
 * `gatehouse mail list [--status S]`, `gatehouse mail retry <id|--all-dead>`, and `gatehouse mail-worker`
 * (delivers the outbox until SIGTERM/SIGINT; transport from GATEHOUSE_SMTP_URL or GATEHOUSE_MAIL_DIR).
 */
import { auditEvent } from '../../core/audit/audit-log.js';
import { CLI_ACTOR } from '../../core/accounts/account-admin.js';
import { createAuditLog } from '../../storage/audit-log.js';
import { withWebhooks } from '../../mail/transports/webhooks.js';
import type { Command } from 'commander';
import type { Kysely } from 'kysely';
import { loadConfig } from '../../config/load-config.js';
import { linkRenewer } from '../../mail/link-redaction.js';
import { OutboxWorker, type WorkerLogger } from '../../mail/outbox-worker.js';
import { registerMailTestCommand } from './mail-test.js';
import { describeTransportEnv, transportFromEnv } from '../../mail/transports/index.js';

type Open = () => Promise<{ db: Kysely<any>; dialect: 'sqlite' | 'postgres'; close(): Promise<void> }>;

const STATUSES = ['pending', 'sent', 'dead'];

export interface OutboxListing {
  id: number; mail_id: string; recipient: string; subject: string; status: string; attempts: number;
  next_attempt_at: number; created: number; sent_at: number | null; last_error: string | null; delivered_via: string | null;
  /** What happened, in words: queued, retrying, failed, written to a file, handed to SMTP. */
  state: string;
}

/** Outbox rows, newest first. */
export async function listOutbox(db: Kysely<any>, opts: { status?: string; limit?: number } = {}): Promise<OutboxListing[]> {
  let q = db.selectFrom('outbox')
    .select(['id', 'mail_id', 'recipient', 'subject', 'status', 'attempts', 'next_attempt_at', 'created', 'sent_at', 'last_error', 'delivered_via'])
    .orderBy('id', 'desc').limit(opts.limit ?? 50);
  if (opts.status) q = q.where('status', '=', opts.status);
  return ((await q.execute()) as Omit<OutboxListing, 'state'>[]).map((r) => ({ ...r, state: outboxState(r) }));
}

/**
 * A row's state in words. `sent` rows say where they went: the .eml transport only wrote a file (nobody
 * got a mail), SMTP means a server accepted it (it may still bounce later).
 */
export function outboxState(r: Pick<OutboxListing, 'status' | 'attempts' | 'delivered_via' | 'last_error'>): string {
  if (r.status === 'dead') return `failed after ${r.attempts} attempt(s)`;
  if (r.status === 'pending') return r.attempts > 0 && r.last_error ? `retrying (attempt ${r.attempts} failed)` : 'queued';
  const via = r.delivered_via ?? '';
  if (via.startsWith('eml ')) return `written to a file${via.includes(' → ') ? ` ${via.split(' → ')[1]}` : ''}`;
  if (via.startsWith('smtp ')) return `handed to SMTP ${via.slice(5).split(' → ')[0]}`;
  if (via.startsWith('capture')) return 'captured (tests)';
  return via ? `delivered by ${via}` : 'delivered (transport not recorded)';
}

/**
 * Makes rows pending and due now, with a fresh attempt budget: one row by id (pending or dead; a sent
 * row is left alone), or every dead row. Returns how many rows changed.
 */
export async function retryOutbox(db: Kysely<any>, target: { id: number } | { allDead: true }, now: number): Promise<number> {
  // locked_until is left alone: a row a worker is sending right now is not handed to a second one.
  let q = db.updateTable('outbox').set({ status: 'pending', attempts: 0, next_attempt_at: now });
  q = 'id' in target ? q.where('id', '=', target.id).where('status', '!=', 'sent') : q.where('status', '=', 'dead');
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows ?? 0);
}

const time = (t: number | null): string => (t ? new Date(Number(t) * 1000).toISOString().replace('.000Z', 'Z') : '-');

function printListing(rows: OutboxListing[]): void {
  if (rows.length === 0) { console.log('(no mail)'); return; }
  for (const r of rows) {
    const when = r.status === 'sent' ? time(r.sent_at) : r.status === 'pending' ? `next ${time(r.next_attempt_at)}` : '-';
    console.log(`${r.id}\t${r.state}\t${when}\t${r.mail_id}\t${r.recipient}\t${r.subject}`);
    if (r.last_error && r.status !== 'sent') console.log(`\tlast error: ${r.last_error}`);
  }
}

/** One JSON line per event on stderr. */
const jsonLogger: WorkerLogger = {
  info: (o, msg) => log('info', o, msg),
  warn: (o, msg) => log('warn', o, msg),
  error: (o, msg) => log('error', o, msg),
};
function log(level: string, o: object, msg: string): void {
  const fields = Object.fromEntries(Object.entries(o).map(([k, v]) => [k, v instanceof Error ? v.message : v]));
  process.stderr.write(JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields }) + '\n');
}

function positiveInt(name: string) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer`);
    return n;
  };
}

export function registerMailCommands(program: Command, open: Open): void {
  const withDb = async <T>(fn: (db: Kysely<any>) => Promise<T>): Promise<T> => {
    const h = await open();
    try { return await fn(h.db); } finally { await h.close(); }
  };

  const mail = program.command('mail').description('inspect and requeue the outgoing mail queue, send a test mail');
  registerMailTestCommand(mail);
  mail.command('list').description('list queued mail, newest first')
    .option('--status <status>', `only rows with this status (${STATUSES.join(', ')})`)
    .option('--limit <n>', 'at most this many rows', positiveInt('--limit'), 50)
    .option('--json', 'print JSON')
    .action((opts: { status?: string; limit: number; json?: boolean }) => withDb(async (db) => {
      if (opts.status && !STATUSES.includes(opts.status)) throw new Error(`unknown status "${opts.status}" (${STATUSES.join(', ')})`);
      const rows = await listOutbox(db, opts);
      if (opts.json) console.log(JSON.stringify(rows, null, 2)); else printListing(rows);
    }));
  mail.command('dump').description('print every queued or sent mail, oldest first, as JSON [{id, to, from, subject, body}] (id = Drupal mail id)')
    .action(() => withDb(async (db) => {
      const rows = await db.selectFrom('outbox').select(['mail_id', 'recipient', 'sender', 'subject', 'body']).orderBy('id').execute();
      console.log(JSON.stringify(rows.map((r) => ({ id: r.mail_id, to: r.recipient, from: r.sender, subject: r.subject, body: r.body }))));
    }));
  mail.command('retry [id]').description('send a pending or dead mail again now (fresh attempt budget)')
    .option('--all-dead', 'requeue every dead mail')
    .option('--json', 'print JSON')
    .action((id: string | undefined, opts: { allDead?: boolean; json?: boolean }) => withDb(async (db) => {
      if ((id === undefined) === !opts.allDead) throw new Error('give either a mail id or --all-dead');
      const now = Math.floor(Date.now() / 1000);
      const n = opts.allDead ? await retryOutbox(db, { allDead: true }, now) : await retryOutbox(db, { id: positiveInt('id')(id!) }, now);
      if (n === 0 && !opts.allDead) throw new Error(`no pending or dead mail with id ${id}`);
      if (n > 0) await createAuditLog(db).record(auditEvent(CLI_ACTOR, now, 'mail_retry', null, opts.allDead ? `all ${n} dead mails` : `mail ${id}`));
      console.log(opts.json ? JSON.stringify({ requeued: n }) : `${n} mail(s) requeued`);
    }));

  program.command('mail-worker')
    .description('deliver queued mail until SIGTERM (GATEHOUSE_SMTP_URL=smtp://user:pass@host:port or GATEHOUSE_MAIL_DIR=folder)')
    .option('--poll-interval <ms>', 'pause between polls when idle', positiveInt('--poll-interval'), 2000)
    .option('--max-attempts <n>', 'attempts before a mail is dead', positiveInt('--max-attempts'), 8)
    .option('--batch <n>', 'rows claimed at once', positiveInt('--batch'), 10)
    .action(async (opts: { pollInterval: number; maxAttempts: number; batch: number }) => {
      const mail = transportFromEnv(process.env);
      if (!mail) throw new Error('no mail transport: set GATEHOUSE_SMTP_URL (smtp://user:pass@host:port) or GATEHOUSE_MAIL_DIR');
      const config = loadConfig();
      const transport = withWebhooks(mail, config.webhooks);
      const h = await open();
      const worker = new OutboxWorker({
        db: h.db, dialect: h.dialect, transport, logger: jsonLogger, renewLinks: linkRenewer(h.db, config.hashSalt),
        pollIntervalMs: opts.pollInterval, maxAttempts: opts.maxAttempts, batchSize: opts.batch,
      });
      const stopped = new Promise<string>((resolve) => {
        process.once('SIGTERM', () => resolve('SIGTERM'));
        process.once('SIGINT', () => resolve('SIGINT'));
      });
      worker.start();
      jsonLogger.info({ transport: describeTransportEnv(process.env), dialect: h.dialect }, `mail worker started; mail transport: ${transport.description}`);
      transport.check().catch((err: Error) => jsonLogger.warn({ error: err.message }, 'mail transport unreachable (mail waits in the outbox)'));
      const signal = await stopped;
      jsonLogger.info({ signal }, 'mail worker stopping');
      try {
        await worker.stop();
      } finally {
        await transport.close();
        await h.close();
      }
      jsonLogger.info({}, 'mail worker stopped');
    });
}
