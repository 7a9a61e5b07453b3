/** Gatehouse's side of an import: its database, migrated, with the baseline every site has (uid 0, roles). */
import { ensureSiteBaseline } from '../../core/site-baseline.js';
import { type DatabaseHandle, openDatabase } from '../../storage/database.js';
import { createStore } from '../../storage/kysely-store.js';
import { migrateToLatest } from '../../storage/migrate.js';

export async function openImportTarget(databaseUrl: string): Promise<DatabaseHandle> {
  const handle = await openDatabase(databaseUrl, { poolSize: 2 });
  try {
    await migrateToLatest(handle.db, handle.dialect);
    await ensureSiteBaseline(createStore(handle.db));
  } catch (err) {
    await handle.close();
    throw err;
  }
  return handle;
}
