import { type Kysely, sql } from 'kysely';
import client from 'prom-client';
import type { DialectName } from '../storage/database.js';
import { LegacyDatabaseError } from './legacy-database.js';
import { applyLegacyWrite, type LegacyTarget, type LegacyWrite } from './legacy-writes.js';

/** `bridge_outbox`: writes owed to the legacy database, in order; a row is deleted once delivered. */
interface BridgeOutboxTable {
  id: number;
  op: string;
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
  /** 1 = can never be delivered as it is (e.g. the name is taken by another legacy account): kept, skipped. */
  dead: number;
  created: number;
}
interface BridgeTables { bridge_outbox: BridgeOutboxTable }

export interface WriteBackStatus {
  pending: number; attempts: number; lastError: string | null; oldestCreated: number | null;
  /** Writes given up on (kept in bridge_outbox with dead = 1), with the last one's error. */
  dead: number; deadError: string | null;
}

/** A write in bridge_outbox as an operator sees it (see WriteBack.list). */
export interface WriteBackEntry { id: number; kind: string; uid: number | null; attempts: number; lastError: string | null; refused: boolean; created: number }

/** What a recorded write is and for which account, never its values. */
function describeWrite(op: string): { kind: string; uid: number | null } {
  try {
    const w = JSON.parse(op) as LegacyWrite;
    const uid = 'uid' in w ? w.uid : 'record' in w ? w.record.uid : 'account' in w ? w.account.uid : null;
    return { kind: w.kind, uid: typeof uid === 'number' ? uid : null };
  } catch {
    return { kind: 'unreadable', uid: null };
  }
}

export interface WriteBackLog { warn(obj: object, msg: string): void; info(obj: object, msg: string): void }


/** Creates `bridge_outbox` in Gatehouse's own database if it is not there yet. */
export async function ensureBridgeOutbox(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const id = dialect === 'postgres' ? 'serial' : 'integer';
  await db.schema.createTable('bridge_outbox').ifNotExists()
    .addColumn('id', id, (c) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('op', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('dead', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created', 'bigint', (c) => c.notNull())
    .execute();
}

/**
 * Delivers writes to the legacy database in the order Gatehouse made them. Each write is first recorded in
 * `bridge_outbox` (so a crash or an outage loses nothing), then delivered at once; on failure the row stays,
 * is logged and counted, and is retried with back-off — later writes wait behind it so a retried session
 * save can never resurrect a session deleted after it. One delivery runs at a time in a process.
 */
export class WriteBack {
  private readonly db: Kysely<BridgeTables>;
  private chain: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  private readonly delivered = new client.Counter({ name: 'gatehouse_legacy_writes_delivered_total', help: 'Writes delivered to the legacy database', registers: [] });
  private readonly failures = new client.Counter({ name: 'gatehouse_legacy_write_failures_total', help: 'Failed attempts to write to the legacy database', registers: [] });
  /** The instruments, for the registry the server's /metrics serves (pending is read from bridge_outbox when scraped). */
  readonly metrics: client.Metric[];

  constructor(db: Kysely<any>, private readonly target: LegacyTarget, private readonly log: WriteBackLog, private readonly retryIntervalMs: number) {
    this.db = db as Kysely<BridgeTables>;
    const status = () => this.status();
    const pending = new client.Gauge({
      name: 'gatehouse_legacy_writes_pending', help: 'Writes waiting in bridge_outbox for the legacy database', registers: [],
      // Every instance sees the same table: across cluster workers the value is the same, not a sum.
      aggregator: 'max',
      async collect() { this.set((await status()).pending); },
    });
    this.metrics = [this.delivered, this.failures, pending];
  }

  /** Records the writes over `db` — the transaction of the change they mirror; `drain()` once it has committed. */
  async record(db: Kysely<any>, writes: LegacyWrite[]): Promise<void> {
    if (writes.length === 0) return;
    const now = Date.now();
    await (db as Kysely<BridgeTables>).insertInto('bridge_outbox')
      .values(writes.map((w) => ({ op: JSON.stringify(w), attempts: 0, next_attempt_at: 0, last_error: null, dead: 0, created: now } as any)))
      .execute();
  }

  /** Delivers pending writes in order until the first failure (or, unless `now`, a row not yet due for retry). */
  drain(now = false): Promise<void> {
    const run = this.chain.then(() => this.deliver(now));
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** Retries on a timer until `stop()`. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => { void this.drain().catch((err) => this.log.warn({ err }, 'legacy write-back retry failed')); }, this.retryIntervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.chain;
  }

  /** Whether a write concerning `uid` is still waiting (or was set aside): Gatehouse's value is then the newer one. */
  async owes(uid: number): Promise<boolean> {
    const row = await this.db.selectFrom('bridge_outbox').select('id')
      .where((eb) => eb.or([eb('op', 'like', `%"uid":${uid},%`), eb('op', 'like', `%"uid":${uid}}%`)])).limit(1).executeTakeFirst();
    return row !== undefined;
  }

  /**
   * Delivers now what is waiting, back-off or not; calls while one is under way share it. Never throws:
   * what could not be delivered stays waiting.
   */
  flushNow(): Promise<void> {
    this.flushing ??= this.drain(true).catch((err) => { this.log.warn({ err }, 'legacy write-back failed'); }).finally(() => { this.flushing = null; });
    return this.flushing;
  }

  /**
   * Whether a write naming this hashed session id is still waiting for the legacy database; with
   * `refusedToo`, also one it refused (dead): a write it never received either way.
   */
  async pendingForSession(sid: string, o: { refusedToo?: boolean } = {}): Promise<boolean> {
    let query = this.db.selectFrom('bridge_outbox').select('id').where('op', 'like', `%"${sid}"%`);
    if (!o.refusedToo) query = query.where('dead', '=', 0);
    return (await query.limit(1).executeTakeFirst()) !== undefined;
  }

  /** Whether writes are still waiting for the legacy database (one cheap query). */
  async hasPending(): Promise<boolean> {
    return (await this.db.selectFrom('bridge_outbox').select('id').where('dead', '=', 0).limit(1).executeTakeFirst()) !== undefined;
  }

  /**
   * The writes waiting (in delivery order) and those refused, newest first, at most `limit` of each, described
   * without their values (a session's id, a password hash): what the write is and which account it is for.
   */
  async list(limit: number): Promise<WriteBackEntry[]> {
    const rows = async (dead: number, order: 'asc' | 'desc') => this.db.selectFrom('bridge_outbox').selectAll().where('dead', '=', dead).orderBy('id', order).limit(limit).execute();
    return [...await rows(0, 'asc'), ...await rows(1, 'desc')].map((r) => ({
      id: Number(r.id), ...describeWrite(r.op), attempts: Number(r.attempts), lastError: r.last_error, refused: Number(r.dead) === 1, created: Number(r.created),
    }));
  }

  async status(): Promise<WriteBackStatus> {
    const head = await this.db.selectFrom('bridge_outbox').select(['attempts', 'last_error', 'created']).where('dead', '=', 0).orderBy('id').limit(1).executeTakeFirst();
    const count = await this.db.selectFrom('bridge_outbox').select(sql<number>`count(*)`.as('n')).where('dead', '=', 0).executeTakeFirstOrThrow();
    const dead = await this.db.selectFrom('bridge_outbox').select(['last_error']).where('dead', '=', 1).orderBy('id', 'desc').execute();
    return {
      pending: Number(count.n), attempts: Number(head?.attempts ?? 0), lastError: head?.last_error ?? null, oldestCreated: head ? Number(head.created) : null,
      dead: dead.length, deadError: dead[0]?.last_error ?? null,
    };
  }

  private async deliver(force: boolean): Promise<void> {
    for (;;) {
      const rows = await this.db.selectFrom('bridge_outbox').selectAll().where('dead', '=', 0).orderBy('id').limit(50).execute();
      if (rows.length === 0) return;
      for (const row of rows) {
        if (!force && Number(row.next_attempt_at) > Date.now()) return;
        try {
          await applyLegacyWrite(this.target, JSON.parse(row.op) as LegacyWrite);
        } catch (err) {
          const attempts = Number(row.attempts) + 1;
          const backoff = Math.min(this.retryIntervalMs * 2 ** Math.min(attempts - 1, 6), 15 * 60_000);
          const message = err instanceof Error ? err.message : String(err);
          if (err instanceof LegacyDatabaseError && err.permanent) {
            await this.db.updateTable('bridge_outbox').set({ attempts, last_error: message, dead: 1 }).where('id', '=', row.id).execute();
            this.failures.inc();
            this.log.warn({ id: row.id, err: message }, 'the legacy database can never accept this write as it is; it is kept in bridge_outbox (dead = 1) and skipped');
            continue;
          }
          await this.db.updateTable('bridge_outbox').set({ attempts, last_error: message, next_attempt_at: Date.now() + backoff }).where('id', '=', row.id).execute();
          this.failures.inc();
          this.log.warn({ id: row.id, attempts, err: message }, 'write to the legacy database failed; it will be retried');
          return;
        }
        await this.db.deleteFrom('bridge_outbox').where('id', '=', row.id).execute();
        this.delivered.inc();
        if (Number(row.attempts) > 0) this.log.info({ id: row.id, attempts: row.attempts }, 'delayed write to the legacy database delivered');
      }
    }
  }
}
