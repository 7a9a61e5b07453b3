import type { ColumnDefinitionBuilder, Kysely } from 'kysely';
import type { DialectName } from '../database.js';

/**
 * User fields (Drupal's Field API on the user entity) and managed files (user pictures), one definition for
 * SQLite and PostgreSQL. Field definitions merge field_config and field_config_instance; each stored item is
 * one row per (uid, field, delta) whose `item` holds the item's columns as JSON (`{"value": …, "format": …}`).
 */
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const autoKey = (c: ColumnDefinitionBuilder) => (dialect === 'postgres' ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey());
  await db.schema.createTable('gatehouse_field')
    .addColumn('name', 'varchar(32)', (c) => c.primaryKey())
    .addColumn('type', 'varchar(128)', (c) => c.notNull())
    .addColumn('label', 'varchar(255)', (c) => c.notNull().defaultTo(''))
    .addColumn('cardinality', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('required', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('on_register', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('widget', 'varchar(128)', (c) => c.notNull().defaultTo(''))
    .addColumn('weight', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('settings', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();
  await db.schema.createTable('gatehouse_field_value')
    .addColumn('uid', 'integer', (c) => c.notNull())
    .addColumn('field', 'varchar(32)', (c) => c.notNull())
    .addColumn('delta', 'integer', (c) => c.notNull())
    .addColumn('item', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('gatehouse_field_value_pk', ['uid', 'field', 'delta'])
    .execute();
  await db.schema.createTable('file_managed')
    .addColumn('fid', 'integer', autoKey)
    .addColumn('uid', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('filename', 'varchar(255)', (c) => c.notNull().defaultTo(''))
    .addColumn('uri', 'varchar(255)', (c) => c.notNull().defaultTo(''))
    .addColumn('filemime', 'varchar(255)', (c) => c.notNull().defaultTo(''))
    .addColumn('filesize', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('status', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('timestamp', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('file_managed_uri').unique().on('file_managed').column('uri').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['file_managed', 'gatehouse_field_value', 'gatehouse_field']) await db.schema.dropTable(t).ifExists().execute();
}
