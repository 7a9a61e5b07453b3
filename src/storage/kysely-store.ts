import { type Kysely, sql } from 'kysely';
import type { SiteCollation } from '../core/collation/collation.js';
import type { Store } from '../core/ports.js';
import { KyselyAccountRepository } from './account-repository.js';
import { KyselyFieldRepository } from './field-repository.js';
import { KyselyFileRepository } from './file-repository.js';
import { KyselyFloodRepository } from './flood-repository.js';
import { KyselyOutbox } from './outbox-repository.js';
import { KyselyRoleRepository } from './role-repository.js';
import { type Cache, cachedAccounts, cachedFields, cachedRoles, cachedSessions, cachedVariables, ReadCache } from './read-cache.js';
import type { Database } from './schema.js';
import { KyselySessionRepository } from './session-repository.js';
import { KyselyVariableRepository } from './variable-repository.js';

/**
 * The Store over a Kysely instance (a connection pool or an open transaction), sharing one read cache: pass
 * `new ReadCache({ changeVersion })` where the database has a change check (SQLite) to make it exact.
 * `collation`: the site's name/mail comparison rule (default: lowercase), whose keys the database holds.
 */
export function createStore(db: Kysely<Database>, cache: Cache = new ReadCache(), collation?: SiteCollation, repos: KyselyRepositories = kyselyRepositories(db, collation)): Store {
  const store: Store = {
    accounts: cachedAccounts(repos.accounts, cache),
    roles: cachedRoles(repos.roles, cache),
    sessions: cachedSessions(repos.sessions, cache),
    flood: repos.flood,
    variables: cachedVariables(repos.variables, cache),
    outbox: repos.outbox,
    fields: cachedFields(repos.fields, cache),
    files: repos.files,
    transaction: (fn) => (db.isTransaction ? fn(createStore(db, cache, collation, repos)) : db.transaction().execute((trx) => fn(createStore(trx, cache.inTransaction(), collation)))),
    ping: async () => { await sql`select 1`.execute(db); },
  };
  connections.set(store, db);
  return store;
}

const connections = new WeakMap<Store, Kysely<Database>>();

/** The connection or open transaction a Store made here works over (to write tables of one's own in its transaction). */
export function kyselyOf(store: Store): Kysely<Database> | undefined {
  return connections.get(store);
}

export type KyselyRepositories = ReturnType<typeof kyselyRepositories>;

/** The repositories over `db`, uncached. Built once per pool: their statements are compiled once (precompiled.ts). */
export function kyselyRepositories(db: Kysely<Database>, collation?: SiteCollation) {
  return {
    accounts: new KyselyAccountRepository(db, collation), roles: new KyselyRoleRepository(db), sessions: new KyselySessionRepository(db),
    flood: new KyselyFloodRepository(db), variables: new KyselyVariableRepository(db), outbox: new KyselyOutbox(db),
    fields: new KyselyFieldRepository(db), files: new KyselyFileRepository(db),
  };
}
