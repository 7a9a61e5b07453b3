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
export function createStore(db: Kysely<Database>, cache: Cache = new ReadCache(), collation?: SiteCollation): Store {
  const store: Store = {
    accounts: cachedAccounts(new KyselyAccountRepository(db, collation), cache),
    roles: cachedRoles(new KyselyRoleRepository(db), cache),
    sessions: cachedSessions(new KyselySessionRepository(db), cache),
    flood: new KyselyFloodRepository(db),
    variables: cachedVariables(new KyselyVariableRepository(db), cache),
    outbox: new KyselyOutbox(db),
    fields: cachedFields(new KyselyFieldRepository(db), cache),
    files: new KyselyFileRepository(db),
    transaction: (fn) => (db.isTransaction ? fn(createStore(db, cache, collation)) : db.transaction().execute((trx) => fn(createStore(trx, cache.inTransaction(), collation)))),
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
