import type { Kysely } from 'kysely';

/**
 * Where a delivered mail went (`outbox.delivered_via`): the transport and its answer, e.g.
 * `eml ./data/mail → ./data/mail/<id>.eml` or `smtp mail.example.com:587 → 250 2.0.0 Ok`. `gatehouse mail
 * list` tells "written to a file" from "handed to SMTP" by it; null on rows delivered before this column.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('outbox').addColumn('delivered_via', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('outbox').dropColumn('delivered_via').execute();
}
