/**
 * PostgreSQL: the reads requests make before their callbacks (a session with its account and roles, or only
 * the change counter), gathered into one query for every request waiting at the same moment.
 *
 * Each request still gets a read that PostgreSQL answers AFTER the request arrived: a read joins only a query
 * not yet sent, never one already on its way (whose snapshot could predate a logout another instance
 * committed just before this request came). So what a request sees is exactly what a query of its own would
 * have shown; only the number of queries changes. Under load the requests of one turn of the event loop share
 * a query (up to MAX_KEYS sessions each), and while `maxInFlight` queries are out, new reads wait for one of
 * them to come back and then go together: fewer, larger queries, which costs PostgreSQL far less CPU than one
 * query per request on a machine whose cores it shares with the server.
 */
import { ACCOUNT_COLUMNS } from '../core/model.js';

/**
 * Runs the query requests make. The server's pool runs it as a named prepared statement (parsed and planned
 * once per connection); without one it goes through Kysely (viaKysely in postgres-request-reads.ts).
 */
export type HotQuery = <R>(name: string, text: string, values: unknown[]) => Promise<R[]>;

export const SESSION_COLUMNS = ['sid', 'ssid', 'uid', 'hostname', 'timestamp', 'cache', 'session'] as const;

/** The change counter, and per session id asked for (`i`, from 1): the session, its account (`u_`), its rids. */
const BATCH_QUERY = `select c.counter::text as counter, k.i::int as i, ${SESSION_COLUMNS.map((col) => `s."${col}"`).join(', ')},
  ${ACCOUNT_COLUMNS.map((col) => `u."${col}" as "u_${col}"`).join(', ')},
  (select coalesce(array_agg(r.rid order by r.rid), '{}') from users_roles r where r.uid = u.uid) as rids
  from gatehouse_change c
  left join unnest($1::text[]) with ordinality as k(sid, i) on true
  left join sessions s on s.sid = k.sid
  left join users u on u.uid = s.uid and s.uid > 0
  where c.id = 1`;

/** One row of the batch query: `sid` null when the session does not exist (or for the counter-only row). */
export type RequestRow = Record<string, unknown> & { counter: string; i: number | null; sid: string | null; rids: number[] | null };

/** Session ids in one query at most (a bounded statement; more wait for the next). */
const MAX_KEYS = 256;

interface Waiting {
  sid: string | null;
  resolve(row: RequestRow): void;
  reject(err: unknown): void;
}

export class RequestReadBatch {
  private waiting: Waiting[] = [];
  private scheduled = false;
  private inFlight = 0;

  /** `maxInFlight`: queries out at once (4 measured best on 2 cores; the pool has 10 connections, writes use the rest). */
  constructor(private readonly hot: HotQuery, private readonly maxInFlight = 4) {}

  /** The row for this session id (its `sid` null when there is none), or, for null, a row with the counter. */
  read(sid: string | null): Promise<RequestRow> {
    return new Promise<RequestRow>((resolve, reject) => {
      this.waiting.push({ sid, resolve, reject });
      if (!this.scheduled) { this.scheduled = true; setImmediate(() => { this.scheduled = false; this.send(); }); }
    });
  }

  /** Queries sent and not yet answered, and reads waiting for one (tests and metrics). */
  get load(): { inFlight: number; waiting: number } { return { inFlight: this.inFlight, waiting: this.waiting.length }; }

  private send(): void {
    while (this.waiting.length > 0 && this.inFlight < this.maxInFlight) {
      const batch = this.take();
      this.inFlight++;
      const sids = batch.flatMap((w) => (w.sid === null ? [] : [w.sid]));
      this.hot<RequestRow>('gatehouse_request_batch', BATCH_QUERY, [sids]).then((rows) => {
        const byIndex = new Map<number, RequestRow>();
        for (const row of rows) if (row.i !== null) byIndex.set(row.i, row);
        let i = 0;
        for (const w of batch) {
          const row = w.sid === null ? rows[0] : byIndex.get(++i);
          // No row: gatehouse_change has lost its one row (the database is not what the migrations made).
          if (row === undefined) w.reject(new Error('the request read query returned no row (gatehouse_change is empty)'));
          else w.resolve(row);
        }
      }, (err: unknown) => {
        for (const w of batch) w.reject(err);
      }).finally(() => {
        this.inFlight--;
        this.send();
      });
    }
  }

  /** The reads of the next query: all waiting counter-only reads ride along; session ids up to MAX_KEYS. */
  private take(): Waiting[] {
    let keys = 0;
    const batch: Waiting[] = [];
    const rest: Waiting[] = [];
    for (const w of this.waiting) {
      if (w.sid !== null && keys >= MAX_KEYS) { rest.push(w); continue; }
      if (w.sid !== null) keys++;
      batch.push(w);
    }
    this.waiting = rest;
    return batch;
  }
}
