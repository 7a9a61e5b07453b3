import { type Kysely, type Migration, type MigrationProvider, Migrator } from 'kysely';
import type { DialectName } from './database.js';
import * as initial from './migrations/001-initial.js';

type DialectMigration = { up(db: Kysely<any>, dialect: DialectName): Promise<void>; down(db: Kysely<any>, dialect: DialectName): Promise<void> };

/** Every migration, in order. Each receives the dialect so one definition serves SQLite and PostgreSQL. */
const MIGRATIONS: Record<string, DialectMigration> = {
  '001-initial': initial,
};

class InCodeProvider implements MigrationProvider {
  constructor(private readonly dialect: DialectName) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    return Object.fromEntries(Object.entries(MIGRATIONS).map(([name, m]) => [name, {
      up: (db: Kysely<any>) => m.up(db, this.dialect),
      down: (db: Kysely<any>) => m.down(db, this.dialect),
    }]));
  }
}

/** Brings the schema up to date. Kysely's migrator takes a lock, so several instances may start at once. */
export async function migrateToLatest(db: Kysely<any>, dialect: DialectName): Promise<string[]> {
  const migrator = new Migrator({ db, provider: new InCodeProvider(dialect) });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
