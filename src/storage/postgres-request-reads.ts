/**
 * PostgreSQL: what a request reads before its callback — its session, the account, the account's roles —
 * in ONE round trip, together with the change counter (migration 004) that says whether what this instance
 * keeps in memory (role names, permissions, settings, field definitions) is still what the database holds.
 *
 * Sessions, accounts and role assignments are never kept between requests here: they come fresh with every
 * request's single query, so a logout, a block or a role change made through any instance rules the very next
 * request on every other. The rarely written tables are kept in memory, and each request first checks the
 * counter (in that same query, or alone when the request has no session cookie): a change anywhere empties
 * this instance's copy before the request reads it.
 *
 * The query is shared: requests waiting at the same moment read together (postgres-read-batch.ts), each in a
 * query sent after it arrived.
 *
 * A request reads through its own view (Store.forRequest): the first read of the request checks the counter,
 * later reads of the same request trust that check. Reads outside a request (background work, the CLI) check
 * the counter on each read of a kept table.
 */
import type { SiteCollation } from '../core/collation/collation.js';
import { type Kysely, CompiledQuery } from 'kysely';
import { ACCOUNT_COLUMNS, type Account, type SessionRecord } from '../core/model.js';
import { type HotQuery, RequestReadBatch, SESSION_COLUMNS } from './postgres-read-batch.js';
import type { AccountRepository, RoleRepository, SessionRepository, Store } from '../core/ports.js';
import { createStore, kyselyRepositories } from './kysely-store.js';
import { type Cache, ReadCache } from './read-cache.js';
import type { Database } from './schema.js';

/** Through Kysely, unprepared (a Kysely instance over some other pool). */
export function viaKysely(db: Kysely<Database>): HotQuery {
  return async <R>(_name: string, text: string, values: unknown[]) => (await db.executeQuery<R>(CompiledQuery.raw(text, values))).rows;
}

/** The highest change counter this instance has seen (counters answered out of order never move it back). */
export class ChangeCounter {
  private seen = -1n;
  get value(): string { return String(this.seen); }
  observe(counter: string): void {
    const n = BigInt(counter);
    if (n > this.seen) this.seen = n;
  }
}

/** What one request has read: whether the counter was checked, and the account and roles its query brought. */
interface RequestReads {
  checked: Promise<void> | null;
  accounts: Map<number, Account>;
  rids: Map<number, number[]>;
}

/** The shared in-memory copy, valid while the counter stays where it was (ReadCache empties itself when it moves). */
export function postgresReadCache(counter: ChangeCounter): ReadCache {
  return new ReadCache({ changeVersion: () => counter.value });
}

/**
 * The PostgreSQL store: `base` (createStore over a CheckedCache) with sessions, accounts and role
 * assignments read through the request's single query, and `forRequest()` giving each request its view.
 */
export function postgresStore(batch: RequestReadBatch, base: (cache: Cache) => Store, shared: ReadCache, counter: ChangeCounter, reads: RequestReads | null = null): Store {
  const check = (): Promise<void> => {
    if (reads?.checked) return reads.checked;
    const checked = batch.read(null).then((row) => { counter.observe(row.counter); });
    if (reads) reads.checked = checked;
    return checked;
  };
  const store = base(new CheckedCache(shared, check));
  const forRequest = () => postgresStore(batch, base, shared, counter, { checked: null, accounts: new Map(), rids: new Map() });
  if (!reads) return { ...store, forRequest };
  const forgetAll = () => { reads.accounts.clear(); reads.rids.clear(); };
  return {
    ...store,
    sessions: requestSessions(batch, store.sessions, counter, reads),
    accounts: requestAccounts(store.accounts, reads),
    roles: requestRoles(store.roles, reads),
    // What a transaction writes is not seen by the request's held rows: they are dropped before and after.
    transaction: async (fn) => { forgetAll(); try { return await store.transaction(fn); } finally { forgetAll(); } },
    forRequest,
  };
}

/** The store a server uses on PostgreSQL. */
export function createPostgresStore(db: Kysely<Database>, collation?: SiteCollation, hot: HotQuery = viaKysely(db)): Store {
  const counter = new ChangeCounter();
  const repos = kyselyRepositories(db, collation);
  return postgresStore(new RequestReadBatch(hot), (cache) => createStore(db, cache, collation, repos), postgresReadCache(counter), counter);
}

/** The kept tables, read only after the counter was checked (once per request, or on every read outside one). */
class CheckedCache implements Cache {
  readonly exact = false;
  constructor(private readonly shared: ReadCache, private readonly check: () => Promise<void>) {}
  async get<T>(key: string, load: () => Promise<T>): Promise<T> { await this.check(); return this.shared.get(key, load); }
  async find<T extends object>(key: string, load: () => Promise<T | undefined>): Promise<T | undefined> { await this.check(); return this.shared.find(key, load); }
  clear(prefix: string): void { this.shared.clear(prefix); }
  inTransaction(): Cache { return this.shared.inTransaction(); }
}

/** `inner` with some methods replaced, the others still `inner`'s own (classes included: methods stay bound). */
function overriding<T extends object>(inner: T, overrides: Partial<T>): T {
  return new Proxy(inner, {
    get(target, prop) {
      if (Object.hasOwn(overrides, prop)) return overrides[prop as keyof T];
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

function requestSessions(batch: RequestReadBatch, inner: SessionRepository, counter: ChangeCounter, reads: RequestReads): SessionRepository {
  return overriding(inner, {
    get: async (sid: string) => {
      const query = batch.read(sid);
      const checked = query.then((row) => { counter.observe(row.counter); });
      // A failed query fails this call; the same failure must not surface again as an unhandled rejection.
      checked.catch(() => undefined);
      reads.checked ??= checked;
      const row = await query;
      if (row.sid === null) return undefined;
      const session = Object.fromEntries(SESSION_COLUMNS.map((col) => [col, row[col]])) as unknown as SessionRecord;
      if (row.u_uid !== null) {
        const account = Object.fromEntries(ACCOUNT_COLUMNS.map((col) => [col, row[`u_${col}`]])) as unknown as Account;
        reads.accounts.set(account.uid, account);
        reads.rids.set(account.uid, (row.rids ?? []).map(Number));
      }
      return session;
    },
  });
}

/** Accounts the request's query brought are not read again; a write drops what the request holds of it. */
function requestAccounts(inner: AccountRepository, reads: RequestReads): AccountRepository {
  return overriding(inner, {
    byUid: async (uid: number) => { const held = reads.accounts.get(uid); return held ? { ...held } : inner.byUid(uid); },
    update: (uid: number, patch: Partial<Account>) => { reads.accounts.delete(uid); return inner.update(uid, patch); },
    markLoggedIn: (uid: number, expected: number, now: number) => { reads.accounts.delete(uid); return inner.markLoggedIn(uid, expected, now); },
    delete: (uid: number) => { reads.accounts.delete(uid); reads.rids.delete(uid); return inner.delete(uid); },
  });
}

function requestRoles(inner: RoleRepository, reads: RequestReads): RoleRepository {
  return overriding(inner, {
    rolesOf: async (uid: number) => { const held = reads.rids.get(uid); return held ? [...held] : inner.rolesOf(uid); },
    setRoles: (uid: number, rids: number[]) => { reads.rids.delete(uid); return inner.setRoles(uid, rids); },
  });
}
