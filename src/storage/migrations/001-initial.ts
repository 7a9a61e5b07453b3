import type { ColumnDefinitionBuilder, Kysely } from 'kysely';
import type { DialectName } from '../database.js';

/** The initial schema, one definition for SQLite and PostgreSQL. */
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  /** An integer key the database allocates (SQLite: the rowid alias; PostgreSQL: an identity column). */
  const autoKey = (c: ColumnDefinitionBuilder) => (dialect === 'postgres' ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey());
  await db.schema.createTable('users')
    .addColumn('uid', 'integer', autoKey)
    .addColumn('name', 'varchar(60)', (c) => c.notNull().defaultTo(''))
    .addColumn('name_key', 'varchar(255)')
    .addColumn('pass', 'varchar(255)', (c) => c.notNull().defaultTo(''))
    .addColumn('mail', 'varchar(254)', (c) => c.notNull().defaultTo(''))
    .addColumn('mail_key', 'varchar(254)')
    .addColumn('theme', 'varchar(255)', (c) => c.notNull().defaultTo(''))
    .addColumn('signature', 'varchar(255)', (c) => c.notNull().defaultTo(''))
    .addColumn('signature_format', 'varchar(255)')
    .addColumn('created', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('changed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('access', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('login', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('status', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('timezone', 'varchar(32)')
    .addColumn('language', 'varchar(12)', (c) => c.notNull().defaultTo(''))
    .addColumn('picture', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('init', 'varchar(254)', (c) => c.notNull().defaultTo(''))
    .addColumn('data', 'text')
    .execute();
  await db.schema.createIndex('users_name_key').unique().on('users').column('name_key').execute();
  await db.schema.createIndex('users_mail_key').on('users').column('mail_key').execute();
  await db.schema.createIndex('users_created').on('users').column('created').execute();

  await db.schema.createTable('role')
    .addColumn('rid', 'integer', (c) => c.primaryKey())
    .addColumn('name', 'varchar(64)', (c) => c.notNull().unique())
    .addColumn('weight', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createTable('users_roles')
    .addColumn('uid', 'integer', (c) => c.notNull())
    .addColumn('rid', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('users_roles_pk', ['uid', 'rid'])
    .execute();
  await db.schema.createTable('role_permission')
    .addColumn('rid', 'integer', (c) => c.notNull())
    .addColumn('permission', 'varchar(128)', (c) => c.notNull())
    .addColumn('module', 'varchar(255)', (c) => c.notNull().defaultTo(''))
    .addPrimaryKeyConstraint('role_permission_pk', ['rid', 'permission'])
    .execute();

  await db.schema.createTable('sessions')
    .addColumn('sid', 'varchar(128)', (c) => c.primaryKey())
    .addColumn('ssid', 'varchar(128)', (c) => c.notNull().defaultTo(''))
    .addColumn('uid', 'integer', (c) => c.notNull())
    .addColumn('hostname', 'varchar(128)', (c) => c.notNull().defaultTo(''))
    .addColumn('timestamp', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('cache', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('session', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await db.schema.createIndex('sessions_uid').on('sessions').column('uid').execute();
  await db.schema.createIndex('sessions_timestamp').on('sessions').column('timestamp').execute();

  await db.schema.createTable('flood')
    .addColumn('fid', 'integer', autoKey)
    .addColumn('event', 'varchar(64)', (c) => c.notNull())
    .addColumn('identifier', 'varchar(128)', (c) => c.notNull())
    .addColumn('timestamp', 'integer', (c) => c.notNull())
    .addColumn('expiration', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('flood_allow').on('flood').columns(['event', 'identifier', 'timestamp']).execute();

  await db.schema.createTable('variable')
    .addColumn('name', 'varchar(128)', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();

  await db.schema.createTable('outbox')
    .addColumn('id', 'integer', autoKey)
    .addColumn('mail_id', 'varchar(128)', (c) => c.notNull())
    .addColumn('recipient', 'varchar(1024)', (c) => c.notNull())
    .addColumn('sender', 'varchar(1024)', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('headers', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('status', 'varchar(16)', (c) => c.notNull().defaultTo('pending'))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('locked_until', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('created', 'integer', (c) => c.notNull())
    .addColumn('sent_at', 'integer')
    .execute();
  await db.schema.createIndex('outbox_due').on('outbox').columns(['status', 'next_attempt_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['outbox', 'variable', 'flood', 'sessions', 'role_permission', 'users_roles', 'role', 'users']) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
