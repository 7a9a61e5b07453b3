import type { Role } from '../core/model.js';
import type { FieldDefinition } from '../core/fields/field-definition.js';
import type { AccountRepository, FieldRepository, RoleRepository, SessionRepository, VariableRepository } from '../core/ports.js';

export interface ReadCacheOptions {
  /** How long an entry lives when the database offers no change check (default 1000 ms). */
  ttlMs?: number;
  /**
   * A value that changes whenever the database may have changed, by anyone (SQLite: PRAGMA data_version plus
   * this connection's own writes). With it the cache is exact: entries live until the next change, at once
   * for every process on the database file, and per-request lookups (sessions, accounts) are cached too.
   */
  changeVersion?: () => string;
  /** Entries kept at most (the oldest go first). */
  maxEntries?: number;
}

/** What the repository decorators read through. */
export interface Cache {
  readonly exact: boolean;
  get<T>(key: string, load: () => Promise<T>): Promise<T>;
  find<T extends object>(key: string, load: () => Promise<T | undefined>): Promise<T | undefined>;
  clear(prefix: string): void;
  inTransaction(): Cache;
}

/**
 * An in-process cache for what nearly every request reads and seldom anything writes: role definitions, role
 * permissions, user field definitions and site settings; where the database can say it changed (SQLite), also
 * sessions, accounts and their roles. Writes through this process clear it at once. Without a change check
 * (PostgreSQL), writes by other instances (or an import) are seen after `ttlMs` at most, and per-request
 * lookups are not cached at all.
 */
export class ReadCache implements Cache {
  private readonly entries = new Map<string, { at: number; value: Promise<unknown> }>();
  private seenVersion: string | undefined;
  readonly ttlMs: number;
  private readonly changeVersion: (() => string) | undefined;
  private readonly maxEntries: number;

  constructor(o: ReadCacheOptions = {}) {
    this.ttlMs = o.ttlMs ?? 1000;
    this.changeVersion = o.changeVersion;
    this.maxEntries = o.maxEntries ?? 20_000;
  }

  /** True when entries are dropped on every database change (not after a time). */
  get exact(): boolean { return this.changeVersion !== undefined; }

  get<T>(key: string, load: () => Promise<T>): Promise<T> {
    const now = Date.now();
    if (this.changeVersion) {
      const version = this.changeVersion();
      if (version !== this.seenVersion) { this.entries.clear(); this.seenVersion = version; }
    }
    const hit = this.entries.get(key);
    if (hit && (this.changeVersion || now - hit.at < this.ttlMs)) return hit.value as Promise<T>;
    const value = load();
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, { at: now, value });
    value.catch(() => this.entries.delete(key));
    return value;
  }

  /** Like get(), for a lookup that may find nothing: a miss is not kept (a stranger's cookie fills nothing). */
  async find<T extends object>(key: string, load: () => Promise<T | undefined>): Promise<T | undefined> {
    const found = await this.get(key, load);
    if (found === undefined) this.entries.delete(key);
    return found;
  }

  clear(prefix: string): void {
    for (const key of this.entries.keys()) if (key.startsWith(prefix)) this.entries.delete(key);
  }

  /** The view a transaction reads through (see TransactionReads). */
  inTransaction(): Cache {
    return new TransactionReads(this);
  }
}

/**
 * Reads inside a transaction: loaded every time, kept nowhere (what they see may yet be rolled back, and must
 * not reach other requests before it commits); writes still clear the shared cache's entries.
 */
class TransactionReads implements Cache {
  readonly exact = false;
  constructor(private readonly shared: ReadCache) {}
  get<T>(_key: string, load: () => Promise<T>): Promise<T> { return load(); }
  find<T extends object>(_key: string, load: () => Promise<T | undefined>): Promise<T | undefined> { return load(); }
  clear(prefix: string): void { this.shared.clear(prefix); }
  inTransaction(): Cache { return this; }
}

export function cachedRoles(inner: RoleRepository, cache: Cache): RoleRepository {
  return {
    all: () => cache.get<Role[]>('roles:all', () => inner.all()),
    rolesOf: async (uid) => (cache.exact ? [...await cache.get(`roles:of:${uid}`, () => inner.rolesOf(uid))] : inner.rolesOf(uid)),
    // Kept per uid only where the cache is exact, and there every write ends every entry: nothing to clear.
    setRoles: (uid, rids) => inner.setRoles(uid, rids),
    permissionsOf: (rids) => cache.get<string[]>(`roles:perm:${[...rids].sort((a, b) => a - b).join(',')}`, () => inner.permissionsOf(rids)),
    grant: async (rid, permissions) => { try { await inner.grant(rid, permissions); } finally { cache.clear('roles:'); } },
    ensureRole: async (role) => { try { await inner.ensureRole(role); } finally { cache.clear('roles:'); } },
  };
}

export function cachedVariables(inner: VariableRepository, cache: Cache): VariableRepository {
  const invalidate = async <T>(p: Promise<T>): Promise<T> => { try { return await p; } finally { cache.clear('vars:'); } };
  return {
    get: (name) => inner.get(name),
    all: () => cache.get('vars:all', () => inner.all()),
    set: (name, value) => invalidate(inner.set(name, value)),
    setIfAbsent: (name, value) => invalidate(inner.setIfAbsent(name, value)),
    delete: (name) => invalidate(inner.delete(name)),
  };
}

export function cachedFields(inner: FieldRepository, cache: Cache): FieldRepository {
  return {
    definitions: () => cache.get<FieldDefinition[]>('fields:definitions', () => inner.definitions()),
    saveDefinition: async (d) => { try { await inner.saveDefinition(d); } finally { cache.clear('fields:'); } },
    valuesOf: (uid) => inner.valuesOf(uid),
    setItems: (uid, field, items) => inner.setItems(uid, field, items),
    deleteFor: (uid) => inner.deleteFor(uid),
  };
}

/**
 * Sessions by sid, only where the cache is exact (writes are what end entries, so none is cleared here). Each
 * caller gets its own copy of the row.
 */
export function cachedSessions(inner: SessionRepository, cache: Cache): SessionRepository {
  if (!cache.exact) return inner;
  return {
    get: async (sid) => copy(await cache.find(`sess:${sid}`, () => inner.get(sid))),
    save: (record) => inner.save(record),
    rekey: (oldSid, record) => inner.rekey(oldSid, record),
    delete: (sid) => inner.delete(sid),
    deleteForUser: (uid) => inner.deleteForUser(uid),
    collectGarbage: (olderThan) => inner.collectGarbage(olderThan),
  };
}

/** Accounts by uid, only where the cache is exact. Each caller gets its own copy of the row. */
export function cachedAccounts(inner: AccountRepository, cache: Cache): AccountRepository {
  if (!cache.exact) return inner;
  return {
    byUid: async (uid) => copy(await cache.find(`acct:${uid}`, () => inner.byUid(uid))),
    byName: (name, match, activeOnly) => inner.byName(name, match, activeOnly),
    byMail: (mail, match, activeOnly) => inner.byMail(mail, match, activeOnly),
    nameTaken: (name, exceptUid) => inner.nameTaken(name, exceptUid),
    mailTaken: (mail, exceptUid) => inner.mailTaken(mail, exceptUid),
    insert: (account) => inner.insert(account),
    update: (uid, patch) => inner.update(uid, patch),
    markLoggedIn: (uid, expected, now) => inner.markLoggedIn(uid, expected, now),
    delete: (uid) => inner.delete(uid),
    list: (query) => inner.list(query),
  };
}

const copy = <T extends object>(row: T | undefined): T | undefined => (row === undefined ? undefined : { ...row });
