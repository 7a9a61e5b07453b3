import { type Kysely, sql } from 'kysely';
import type { Store } from '../core/ports.js';
import { KyselyAccountRepository } from './account-repository.js';
import { KyselyFieldRepository } from './field-repository.js';
import { KyselyFileRepository } from './file-repository.js';
import { KyselyFloodRepository } from './flood-repository.js';
import { KyselyOutbox } from './outbox-repository.js';
import { KyselyRoleRepository } from './role-repository.js';
import { cachedFields, cachedRoles, cachedVariables, ReadCache } from './read-cache.js';
import type { Database } from './schema.js';
import { KyselySessionRepository } from './session-repository.js';
import { KyselyVariableRepository } from './variable-repository.js';

/** The Store over a Kysely instance (a connection pool or an open transaction), sharing one read cache. */
export function createStore(db: Kysely<Database>, cache: ReadCache = new ReadCache()): Store {
  return {
    accounts: new KyselyAccountRepository(db),
    roles: cachedRoles(new KyselyRoleRepository(db), cache),
    sessions: new KyselySessionRepository(db),
    flood: new KyselyFloodRepository(db),
    variables: cachedVariables(new KyselyVariableRepository(db), cache),
    outbox: new KyselyOutbox(db),
    fields: cachedFields(new KyselyFieldRepository(db), cache),
    files: new KyselyFileRepository(db),
    transaction: (fn) => (db.isTransaction ? fn(createStore(db, cache)) : db.transaction().execute((trx) => fn(createStore(trx, cache)))),
    ping: async () => { await sql`select 1`.execute(db); },
  };
}
