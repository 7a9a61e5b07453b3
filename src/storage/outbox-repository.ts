import type { Kysely } from 'kysely';
import type { OutgoingMail } from '../core/model.js';
import type { Outbox } from '../core/ports.js';
import type { Database } from './schema.js';

/** Mail waits here, written in the same transaction as the change that causes it; a worker delivers it. */
export class KyselyOutbox implements Outbox {
  constructor(private readonly db: Kysely<Database>) {}

  async enqueue(mail: OutgoingMail, now: number): Promise<void> {
    await this.db.insertInto('outbox').values({
      mail_id: mail.mailId, recipient: mail.to, sender: mail.from, subject: mail.subject, body: mail.body,
      headers: JSON.stringify(mail.headers ?? {}), status: 'pending', attempts: 0, next_attempt_at: now, locked_until: 0,
      last_error: null, created: now, sent_at: null,
    }).execute();
  }

  /** Rows not sent yet (pending or being retried). */
  async depth(): Promise<number> {
    const row = await this.db.selectFrom('outbox').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'pending').executeTakeFirst();
    return Number(row?.n ?? 0);
  }
}

/** How many mails wait to be sent (for the metrics), when the store's outbox is this table; else undefined. */
export function outboxDepthReader(outbox: Outbox): (() => Promise<number>) | undefined {
  if (!(outbox instanceof KyselyOutbox)) return undefined;
  return () => outbox.depth();
}
