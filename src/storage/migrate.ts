import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from 'kysely';
import type { DialectName } from './database.js';
import * as initial from './migrations/001-initial.js';
import * as userFields from './migrations/002-user-fields.js';
import * as uidsNeverReused from './migrations/003-uids-never-reused.js';
import * as mailUniqueCollationKeys from './migrations/004-mail-unique-collation-keys.js';
import * as outboxClaimant from './migrations/005-outbox-claimant.js';
import * as changeCounter from './migrations/006-change-counter.js';
import * as outboxDelivery from './migrations/007-outbox-delivery.js';
import * as auditLog from './migrations/008-audit-log.js';
import * as peopleSearchIndexes from './migrations/009-people-search-indexes.js';
import * as peopleSortIndex from './migrations/010-people-sort-index.js';

type DialectMigration = { up(db: Kysely<any>, dialect: DialectName): Promise<void>; down(db: Kysely<any>, dialect: DialectName): Promise<void> };

/** Every migration, in order. Each receives the dialect so one definition serves SQLite and PostgreSQL. */
const MIGRATIONS: Record<string, DialectMigration> = {
  '001-initial': initial,
  '002-user-fields': userFields,
  '003-uids-never-reused': uidsNeverReused,
  '004-mail-unique-collation-keys': mailUniqueCollationKeys,
  '005-outbox-claimant': outboxClaimant,
  '006-change-counter': changeCounter,
  '007-outbox-delivery': outboxDelivery,
  '008-audit-log': auditLog,
  '009-people-search-indexes': peopleSearchIndexes,
  '010-people-sort-index': peopleSortIndex,
};

/** The names of every migration, in order. */
export const MIGRATION_NAMES: readonly string[] = Object.keys(MIGRATIONS);

class InCodeProvider implements MigrationProvider {
  constructor(private readonly dialect: DialectName) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    return Object.fromEntries(Object.entries(MIGRATIONS).map(([name, m]) => [name, {
      up: (db: Kysely<any>) => m.up(db, this.dialect),
      down: (db: Kysely<any>) => m.down(db, this.dialect),
    }]));
  }
}

/**
 * Brings the schema up to date. Several instances may start at once: on PostgreSQL Kysely's migrator holds an
 * advisory lock while it runs the pending migrations in one transaction (the others wait, then find nothing
 * to do); on SQLite the write lock serialises them. On PostgreSQL the bookkeeping tables are kept in the
 * connection's current schema — Kysely would otherwise take a `kysely_migration` table in *any* schema of
 * the database for its own.
 */
export async function migrateToLatest(db: Kysely<any>, dialect: DialectName): Promise<string[]> {
  const migrationTableSchema = dialect === 'postgres' ? await currentSchema(db) : undefined;
  const migrator = new Migrator({ db, provider: new InCodeProvider(dialect), migrationTableSchema });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

async function currentSchema(db: Kysely<any>): Promise<string> {
  const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db);
  const schema = rows[0]?.schema;
  if (!schema) throw new Error('PostgreSQL: no current schema (the search_path names no existing schema)');
  return schema;
}
