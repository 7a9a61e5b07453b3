import { type Kysely, sql } from 'kysely';
import type { DialectName } from '../database.js';

/**
 * One account per e-mail address, enforced by the database: a unique index on the mail key (the address under
 * the site's LIKE rule) over every row but the legacy duplicates. Drupal's user_save() never refused a second
 * account with an address the forms would refuse, so imported sites may hold such pairs (site B's casey and
 * casey2): those rows carry `mail_shared` = 1, stay loadable and log in, and leave the index to the first
 * holder. Rows already duplicated here (the read-then-insert race this closes) are marked the same way, the
 * lowest uid keeping the address. Plain indexes on `name` and `mail` serve the `=` lookups of sites whose `=`
 * is exact (PostgreSQL/SQLite sources, `_bin` collations).
 */
export async function up(db: Kysely<any>, _dialect: DialectName): Promise<void> {
  await db.schema.alterTable('users').addColumn('mail_shared', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await sql`update users set mail_shared = 1 where mail_key is not null
    and exists (select 1 from users first where first.mail_key = users.mail_key and first.uid < users.uid)`.execute(db);
  await db.schema.createIndex('users_mail_key_unique').unique().on('users').column('mail_key').where(sql.ref('mail_shared'), '=', 0).execute();
  await db.schema.createIndex('users_name').on('users').column('name').execute();
  await db.schema.createIndex('users_mail').on('users').column('mail').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const index of ['users_mail', 'users_name', 'users_mail_key_unique']) await db.schema.dropIndex(index).ifExists().execute();
  await db.schema.alterTable('users').dropColumn('mail_shared').execute();
}
