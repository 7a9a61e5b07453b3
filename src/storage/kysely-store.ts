import { type Kysely, sql } from 'kysely';
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
 */
export function createStore(db: Kysely<Database>, cache: Cache = new ReadCache(), repos: KyselyRepositories = kyselyRepositories(db)): Store {
  return {
    accounts: cachedAccounts(repos.accounts, cache),
    roles: cachedRoles(repos.roles, cache),
    sessions: cachedSessions(repos.sessions, cache),
    flood: repos.flood,
    variables: cachedVariables(repos.variables, cache),
    outbox: repos.outbox,
    fields: cachedFields(repos.fields, cache),
    files: repos.files,
    transaction: (fn) => (db.isTransaction ? fn(createStore(db, cache)) : db.transaction().execute((trx) => fn(createStore(trx, cache.inTransaction())))),
    ping: async () => { await sql`select 1`.execute(db); },
  };
}

export type KyselyRepositories = ReturnType<typeof kyselyRepositories>;

/** The repositories over `db`, uncached. Built once per pool: their statements are compiled once (precompiled.ts). */
export function kyselyRepositories(db: Kysely<Database>) {
  return {
    accounts: new KyselyAccountRepository(db), roles: new KyselyRoleRepository(db), sessions: new KyselySessionRepository(db),
    flood: new KyselyFloodRepository(db), variables: new KyselyVariableRepository(db), outbox: new KyselyOutbox(db),
    fields: new KyselyFieldRepository(db), files: new KyselyFileRepository(db),
  };
}
