import type { Kysely } from 'kysely';
import type { DialectName } from '../database.js';

/**
 * The people list's prefix search takes a prefix's newest matches from the name and mail key indexes alone
 * (storage/console-queries.ts). SQLite's indexes hold the uid already (it is the rowid); PostgreSQL's need it
 * as a second column for an index-only scan, else each of the many rows a broad prefix matches is read from
 * the table.
 */
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  if (dialect !== 'postgres') return;
  await db.schema.createIndex('users_name_key_uid').on('users').columns(['name_key', 'uid']).execute();
  await db.schema.createIndex('users_mail_key_uid').on('users').columns(['mail_key', 'uid']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const index of ['users_name_key_uid', 'users_mail_key_uid']) await db.schema.dropIndex(index).ifExists().execute();
}
