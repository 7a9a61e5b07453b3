/**
 * The storage conformance suite runs every behaviour on each database:
 *   for (const dialect of DIALECTS) describe(`… on ${dialect}`, dialectOptions(dialect), () => { const db = useDatabase(dialect); … })
 * SQLite works in a fresh file, PostgreSQL in a fresh schema of the test database (dropped afterwards).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';
import type { Store } from '../../src/core/ports.js';
import { type DatabaseHandle, type DialectName, openDatabase } from '../../src/storage/database.js';
import { createStore } from '../../src/storage/kysely-store.js';
import { migrateToLatest } from '../../src/storage/migrate.js';
import { createTestSchema, type TestSchema } from '../helpers/postgres.js';
import { postgresSkipReason } from '../helpers/postgres.js';

export const DIALECTS: DialectName[] = ['sqlite', 'postgres'];

const pgSkip = await postgresSkipReason();

/** `describe` options: PostgreSQL suites are skipped (with the reason and how to run them) when no server answers. */
export function dialectOptions(dialect: DialectName): { skip: string | false } {
  return { skip: dialect === 'postgres' && pgSkip ? pgSkip : false };
}

export interface TestDatabase {
  readonly handle: DatabaseHandle;
  readonly store: Store;
  /** Another pool on the same database (a second instance). */
  another(): Promise<DatabaseHandle>;
}

/** A fresh migrated database for the enclosing describe (before/after hooks). */
export function useDatabase(dialect: DialectName): TestDatabase {
  let handle: DatabaseHandle | undefined;
  let store: Store | undefined;
  let pg: TestSchema | null = null;
  let dir = '';
  const extra: DatabaseHandle[] = [];
  const open = async (): Promise<DatabaseHandle> => {
    if (pg) return pg.open();
    const h = await openDatabase(`sqlite:${path.join(dir, 'storage.sqlite')}`);
    extra.push(h);
    return h;
  };
  before(async () => {
    if (dialect === 'postgres') pg = await createTestSchema('gh_storage');
    else dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-storage-'));
    handle = await open();
    await migrateToLatest(handle.db, handle.dialect);
    store = createStore(handle.db);
  });
  after(async () => {
    for (const h of extra) await h.close().catch(() => undefined);
    await pg?.drop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });
  return {
    get handle() { if (!handle) throw new Error('database not open yet'); return handle; },
    get store() { if (!store) throw new Error('database not open yet'); return store; },
    another: open,
  };
}
