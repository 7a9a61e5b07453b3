import { type Kysely, sql } from 'kysely';
import type { DialectName } from '../database.js';

const PLAIN_KEY = '("uid" integer primary key,';
const AUTOINCREMENT_KEY = '("uid" integer primary key autoincrement,';

/**
 * Uids are never handed out twice, as in Drupal 7 (db_next_id over the `sequences` table): deleting the newest
 * account must not give its uid to the next registration. PostgreSQL's identity sequence never goes back
 * already; SQLite reuses the largest rowid after a delete unless the key is AUTOINCREMENT, which SQLite cannot
 * add to a column: the table is rebuilt (its definition as it stands, with AUTOINCREMENT on uid), rows and
 * indexes included. SQLite then keeps the high-water mark in `sqlite_sequence`.
 */
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  if (dialect === 'sqlite') await rebuildUsers(db, PLAIN_KEY, AUTOINCREMENT_KEY);
}

/** Back to a plain rowid key (uids may be reused again). */
export async function down(db: Kysely<any>, dialect: DialectName): Promise<void> {
  if (dialect === 'sqlite') await rebuildUsers(db, AUTOINCREMENT_KEY, PLAIN_KEY);
}

/** SQLite: rebuilds `users` with its uid column defined as `to` instead of `from`, keeping rows and indexes. */
async function rebuildUsers(db: Kysely<any>, from: string, to: string): Promise<void> {
  const { rows } = await sql<{ ddl: string }>`select sql as ddl from sqlite_master where type = 'table' and name = 'users'`.execute(db);
  const ddl = rows[0]?.ddl ?? '';
  const head = `CREATE TABLE "users" ${from}`;
  if (!ddl.startsWith(head)) throw new Error(`migration 003: unexpected definition of table users: ${ddl}`);
  await sql.raw(`CREATE TABLE "users_rebuilt" ${to}${ddl.slice(head.length)}`).execute(db);
  await sql`insert into users_rebuilt select * from users`.execute(db);
  await sql`drop table users`.execute(db);
  await sql`alter table users_rebuilt rename to users`.execute(db);
  await db.schema.createIndex('users_name_key').unique().on('users').column('name_key').execute();
  await db.schema.createIndex('users_mail_key').on('users').column('mail_key').execute();
  await db.schema.createIndex('users_created').on('users').column('created').execute();
}
