import type { Kysely } from 'kysely';

/** Which worker holds an outbox claim (`host:pid:boot`), so a worker killed mid-send can be recognised at start. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('outbox').addColumn('claimed_by', 'varchar(128)').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('outbox').dropColumn('claimed_by').execute();
}
