/**
 * Delivers the outbox: claims due rows, sends them through a MailTransport, records the outcome.
 *
 * Claiming is one atomic statement on both databases:
 *   UPDATE outbox SET locked_until = now + lease, attempts = attempts + 1
 *    WHERE id IN (SELECT id FROM outbox WHERE <due> ORDER BY next_attempt_at, id LIMIT n [FOR UPDATE SKIP LOCKED])
 *      AND <due> RETURNING *
 * with <due> = status 'pending' AND next_attempt_at <= now AND locked_until <= now. SQLite runs the
 * statement under its single write lock; PostgreSQL skips rows another worker holds, and re-checks <due>
 * on the row it updates. A claimed row is invisible to other workers until the lease runs out, and the
 * lease is longer than the longest send the worker allows, so two workers never send a row at once.
 * `locked_until` doubles as the claim's fencing token: outcomes are written only while it is ours.
 *
 * Each row keeps one Message-ID for all its attempts. A failed send is retried after
 * min(retryMax, retryBase · 2^(attempts−1)) seconds (± jitter); after `maxAttempts` the row is `dead`
 * (see `gatehouse mail retry`). Nothing in a request path waits for this: requests only insert rows.
 */
import { type Kysely, sql } from 'kysely';
import { claimantId, reclaimDeadClaims } from './claims.js';
import { hasRedactedLinks, redactLinks } from './link-redaction.js';
import { type MailTransport, type TransportMessage, withDeadline } from './transports/transport.js';

export type OutboxStatus = 'pending' | 'sent' | 'dead';

export interface OutboxRow {
  id: number; mail_id: string; recipient: string; sender: string; subject: string; body: string; headers: string;
  status: string; attempts: number; next_attempt_at: number; locked_until: number; last_error: string | null;
  created: number; sent_at: number | null;
}

export interface WorkerLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface OutboxWorkerOptions {
  db: Kysely<any>;
  dialect: 'sqlite' | 'postgres';
  transport: MailTransport;
  /** Unix seconds (tests pass their own). */
  clock?: () => number;
  batchSize?: number;
  /** Sleep between polls when nothing is due (ms). */
  pollIntervalMs?: number;
  /** How long a claim holds a row (s). Must exceed sendTimeoutMs. */
  leaseSeconds?: number;
  /** Upper bound on one send, whatever the transport does (ms). */
  sendTimeoutMs?: number;
  maxAttempts?: number;
  retryBaseSeconds?: number;
  retryMaxSeconds?: number;
  /** Random spread of retry delays, as a fraction (0.1 = ±10%). */
  retryJitter?: number;
  /** Right-hand side of generated Message-IDs (default: the sender's domain). */
  messageIdDomain?: string;
  logger?: WorkerLogger;
  /** Gives a body whose one-time links were redacted fresh links (link-redaction.ts); absent = sent as is. */
  renewLinks?: (body: string, now: number) => Promise<string>;
}

export interface DrainResult { sent: number; retried: number; dead: number }

const SILENT: WorkerLogger = { info() {}, warn() {}, error() {} };

export class OutboxWorker {
  private readonly o: Required<Omit<OutboxWorkerOptions, 'messageIdDomain' | 'renewLinks'>> & Pick<OutboxWorkerOptions, 'messageIdDomain' | 'renewLinks'>;
  private running = false;
  private loopDone: Promise<void> | null = null;
  private wakeUp: (() => void) | null = null;
  /** Set by wake() while a pass runs, so the next sleep is skipped. */
  private wakeRequested = false;
  private readonly claimant = claimantId();
  /** Serialises passes (the background loop and drain()). */
  private exclusive: Promise<unknown> = Promise.resolve();

  constructor(options: OutboxWorkerOptions) {
    this.o = {
      clock: () => Math.floor(Date.now() / 1000), batchSize: 10, pollIntervalMs: 2000, leaseSeconds: 600,
      sendTimeoutMs: 120_000, maxAttempts: 8, retryBaseSeconds: 60, retryMaxSeconds: 6 * 3600, retryJitter: 0.1,
      logger: SILENT, ...options,
    };
    if (this.o.leaseSeconds * 1000 <= this.o.sendTimeoutMs) throw new Error('leaseSeconds must exceed sendTimeoutMs');
  }

  /** Starts the background loop (idempotent), first taking back the claims of dead workers (claims.ts). */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.loopDone = reclaimDeadClaims(this.o.db, this.o.clock()).then(
      (n) => { if (n > 0) this.o.logger.warn({ rows: n }, 'took back mails claimed by a worker that died'); },
      (err) => this.o.logger.error({ err }, 'reclaiming dead claims failed'),
    ).then(() => this.loop());
  }

  /** Stops the loop; resolves once the send in flight (if any) has finished and been recorded. */
  async stop(): Promise<void> {
    this.running = false;
    this.wakeUp?.();
    await this.loopDone;
    this.loopDone = null;
  }

  /** Makes a sleeping loop look for due rows now (e.g. right after a commit that enqueued mail). */
  wake(): void {
    this.wakeRequested = true;
    this.wakeUp?.();
  }

  /** Sends everything due now, pass after pass, until nothing is left to claim (tests, CLI). */
  async drain(): Promise<DrainResult> {
    const total: DrainResult = { sent: 0, retried: 0, dead: 0 };
    for (;;) {
      const r = await this.pass(false);
      total.sent += r.sent; total.retried += r.retried; total.dead += r.dead;
      if (r.claimed === 0) return total;
    }
  }

  private async loop(): Promise<void> {
    while (this.running) {
      let claimed = 0;
      try {
        claimed = (await this.pass(true)).claimed;
      } catch (e) {
        this.o.logger.error({ err: e }, 'outbox pass failed');
      }
      if (claimed === 0 && this.running) await this.sleep(this.o.pollIntervalMs);
    }
  }

  private sleep(ms: number): Promise<void> {
    if (this.wakeRequested) { this.wakeRequested = false; return Promise.resolve(); }
    return new Promise((resolve) => {
      const done = (): void => { clearTimeout(timer); this.wakeUp = null; this.wakeRequested = false; resolve(); };
      const timer = setTimeout(done, ms);
      this.wakeUp = done;
    });
  }

  /** One claim and the sends of the claimed rows. `background`: give up remaining rows when stopped. */
  private pass(background: boolean): Promise<DrainResult & { claimed: number }> {
    const run = async (): Promise<DrainResult & { claimed: number }> => {
      const result = { claimed: 0, sent: 0, retried: 0, dead: 0 };
      const rows = await this.claim();
      result.claimed = rows.length;
      for (let i = 0; i < rows.length; i++) {
        if (background && !this.running) {
          await this.release(rows.slice(i));
          break;
        }
        const outcome = await this.deliver(rows[i]);
        result[outcome]++;
      }
      return result;
    };
    const next = this.exclusive.then(run, run);
    this.exclusive = next.catch(() => undefined);
    return next;
  }

  /** Claims up to batchSize due rows for this worker (see the file comment). */
  async claim(): Promise<OutboxRow[]> {
    const now = this.o.clock();
    const lockedUntil = now + this.o.leaseSeconds;
    const rows = await this.o.db.updateTable('outbox')
      .set({ locked_until: lockedUntil, attempts: sql`attempts + 1`, claimed_by: this.claimant })
      .where('id', 'in', (eb: any) => {
        let q = eb.selectFrom('outbox').select('id')
          .where('status', '=', 'pending').where('next_attempt_at', '<=', now).where('locked_until', '<=', now)
          .orderBy('next_attempt_at').orderBy('id').limit(this.o.batchSize);
        if (this.o.dialect === 'postgres') q = q.forUpdate().skipLocked();
        return q;
      })
      .where('status', '=', 'pending').where('next_attempt_at', '<=', now).where('locked_until', '<=', now)
      .returningAll()
      .execute() as OutboxRow[];
    return rows.map(normaliseRow).sort((a, b) => a.id - b.id);
  }

  private async deliver(claimed: OutboxRow): Promise<'sent' | 'retried' | 'dead'> {
    // A mail requeued after its links were redacted is sent with fresh ones; once sent (or dead) its links
    // are redacted in the table.
    const row = this.o.renewLinks && hasRedactedLinks(claimed.body) ? { ...claimed, body: await this.o.renewLinks(claimed.body, this.o.clock()) } : claimed;
    const message = this.message(row);
    try {
      const info = await withDeadline(this.o.transport.send(message), this.o.sendTimeoutMs, this.o.transport.name);
      // Sent is sent: recorded even if the lease ran out meanwhile.
      await this.o.db.updateTable('outbox')
        .set({ status: 'sent', sent_at: this.o.clock(), locked_until: 0, last_error: null, body: redactLinks(row.body), delivered_via: deliveredVia(this.o.transport.name, info.response) })
        .where('id', '=', row.id).execute();
      this.o.logger.info({ id: row.id, mailId: row.mail_id, to: row.recipient, response: info.response }, 'mail sent');
      return 'sent';
    } catch (e) {
      const error = String((e as Error)?.message ?? e).slice(0, 2000);
      const dead = row.attempts >= this.o.maxAttempts;
      const now = this.o.clock();
      await this.o.db.updateTable('outbox')
        .set(dead
          ? { status: 'dead', locked_until: 0, last_error: error, body: redactLinks(row.body) }
          : { next_attempt_at: now + this.retryDelay(row.attempts), locked_until: 0, last_error: error })
        .where('id', '=', row.id).where('locked_until', '=', row.locked_until).execute();
      this.o.logger.warn({ id: row.id, mailId: row.mail_id, to: row.recipient, attempts: row.attempts, error }, dead ? 'mail dead' : 'mail send failed; will retry');
      return dead ? 'dead' : 'retried';
    }
  }

  /** Hands claimed but unsent rows back (stopping): due again at once, the attempt not counted. */
  private async release(rows: OutboxRow[]): Promise<void> {
    for (const row of rows) {
      await this.o.db.updateTable('outbox').set({ locked_until: 0, attempts: sql`attempts - 1` })
        .where('id', '=', row.id).where('locked_until', '=', row.locked_until).where('status', '=', 'pending').execute();
    }
  }

  /** Seconds before attempt `attempts + 1`. */
  retryDelay(attempts: number): number {
    const base = Math.min(this.o.retryMaxSeconds, this.o.retryBaseSeconds * 2 ** Math.max(0, attempts - 1));
    const spread = base * this.o.retryJitter * (Math.random() * 2 - 1);
    return Math.max(1, Math.round(base + spread));
  }

  private message(row: OutboxRow): TransportMessage {
    let headers: Record<string, string> = {};
    try {
      const parsed: unknown = JSON.parse(row.headers || '{}');
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) headers = parsed as Record<string, string>;
    } catch { /* a broken headers column is not worth losing the mail over */ }
    const fromHeader = Object.entries(headers).find(([k]) => k.toLowerCase() === 'from')?.[1];
    return {
      messageId: messageIdFor(row, this.o.messageIdDomain),
      from: fromHeader ? String(fromHeader) : row.sender,
      sender: row.sender,
      to: row.recipient,
      subject: row.subject,
      text: row.body,
      headers,
    };
  }
}

/** `<gatehouse.{id}.{created}@{domain}>`: the same for every attempt at one row. */
export function messageIdFor(row: Pick<OutboxRow, 'id' | 'created' | 'sender'>, domain?: string): string {
  const host = domain ?? (/@([A-Za-z0-9.-]+)>?\s*$/.exec(row.sender)?.[1] || 'localhost');
  return `<gatehouse.${row.id}.${row.created}@${host}>`;
}

/** PostgreSQL may return integer columns as strings (int8); rows are normalised to numbers. */
function normaliseRow(r: OutboxRow): OutboxRow {
  return {
    ...r, id: Number(r.id), attempts: Number(r.attempts), next_attempt_at: Number(r.next_attempt_at),
    locked_until: Number(r.locked_until), created: Number(r.created), sent_at: r.sent_at === null ? null : Number(r.sent_at),
  };
}

export function createOutboxWorker(options: OutboxWorkerOptions): OutboxWorker {
  return new OutboxWorker(options);
}

/** What `outbox.delivered_via` records: the transport and, when it said one, its answer. */
export function deliveredVia(transport: string, response: string | undefined): string {
  return (response ? `${transport} → ${response}` : transport).slice(0, 2000);
}
