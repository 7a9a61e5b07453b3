import type { Kysely } from 'kysely';
import type { DialectName } from '../database.js';

/**
 * The people list sorted by last access (Drupal's "Last access" column), a page at a time: the index gives the
 * order and the keyset cursor (access, uid) without sorting the table. By name, the unique name key index
 * serves already.
 */
export async function up(db: Kysely<any>, _dialect: DialectName): Promise<void> {
  await db.schema.createIndex('users_access_uid').on('users').columns(['access', 'uid']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('users_access_uid').ifExists().execute();
}
