import { type Kysely, sql } from 'kysely';
import type { DialectName } from '../database.js';

/** The tables whose rows instances keep in memory between requests (roles, permissions, settings, field definitions). */
export const COUNTED_TABLES = ['role', 'role_permission', 'variable', 'gatehouse_field'] as const;

/**
 * PostgreSQL: a change counter, moved by every statement that writes one of COUNTED_TABLES (in the writing
 * transaction, so it is visible exactly when the change is). Each request reads it in the same query as its
 * session (postgres-request-reads.ts): an instance keeps those tables in memory only as long as the counter
 * has not moved, so a change made through any instance (or an import, or psql) rules the very next request
 * everywhere. SQLite has PRAGMA data_version for the same purpose: nothing to add there.
 */
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  if (dialect !== 'postgres') return;
  await sql`create table gatehouse_change (id smallint primary key check (id = 1), counter bigint not null)`.execute(db);
  await sql`insert into gatehouse_change (id, counter) values (1, 0)`.execute(db);
  await sql`create function gatehouse_count_change() returns trigger language plpgsql as $$
    begin update gatehouse_change set counter = counter + 1 where id = 1; return null; end $$`.execute(db);
  for (const table of COUNTED_TABLES) {
    await sql`create trigger ${sql.id(`${table}_counted`)} after insert or update or delete or truncate on ${sql.table(table)}
      for each statement execute function gatehouse_count_change()`.execute(db);
  }
}

export async function down(db: Kysely<any>, dialect: DialectName): Promise<void> {
  if (dialect !== 'postgres') return;
  for (const table of COUNTED_TABLES) await sql`drop trigger if exists ${sql.id(`${table}_counted`)} on ${sql.table(table)}`.execute(db);
  await sql`drop function if exists gatehouse_count_change()`.execute(db);
  await sql`drop table if exists gatehouse_change`.execute(db);
}
