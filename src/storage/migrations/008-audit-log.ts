import type { ColumnDefinitionBuilder, Kysely } from 'kysely';
import type { DialectName } from '../database.js';

/** The audit log of account events (gatehouse_audit): who did what to which account, when, from where. */
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const autoKey = (c: ColumnDefinitionBuilder) => (dialect === 'postgres' ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey());
  await db.schema.createTable('gatehouse_audit')
    .addColumn('id', 'integer', autoKey)
    .addColumn('created', 'integer', (c) => c.notNull())
    .addColumn('event', 'varchar(64)', (c) => c.notNull())
    .addColumn('actor_uid', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('actor_name', 'varchar(255)', (c) => c.notNull().defaultTo(''))
    .addColumn('target_uid', 'integer')
    .addColumn('target_name', 'varchar(255)', (c) => c.notNull().defaultTo(''))
    .addColumn('ip', 'varchar(128)', (c) => c.notNull().defaultTo(''))
    .addColumn('detail', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await db.schema.createIndex('gatehouse_audit_created').on('gatehouse_audit').column('created').execute();
  await db.schema.createIndex('gatehouse_audit_target').on('gatehouse_audit').columns(['target_uid', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('gatehouse_audit').ifExists().execute();
}
