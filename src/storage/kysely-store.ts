import { type Kysely, sql } from 'kysely';
import type { Store } from '../core/ports.js';
import { KyselyAccountRepository } from './account-repository.js';
import { KyselyFloodRepository } from './flood-repository.js';
import { KyselyOutbox } from './outbox-repository.js';
import { KyselyRoleRepository } from './role-repository.js';
import type { Database } from './schema.js';
import { KyselySessionRepository } from './session-repository.js';
import { KyselyVariableRepository } from './variable-repository.js';

/** The Store over a Kysely instance (a connection pool or an open transaction). */
export function createStore(db: Kysely<Database>): Store {
  return {
    accounts: new KyselyAccountRepository(db),
    roles: new KyselyRoleRepository(db),
    sessions: new KyselySessionRepository(db),
    flood: new KyselyFloodRepository(db),
    variables: new KyselyVariableRepository(db),
    outbox: new KyselyOutbox(db),
    transaction: (fn) => (db.isTransaction ? fn(createStore(db)) : db.transaction().execute((trx) => fn(createStore(trx)))),
    ping: async () => { await sql`select 1`.execute(db); },
  };
}
