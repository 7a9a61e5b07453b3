import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { FloodRepository } from '../core/ports.js';
import type { Database } from './schema.js';

/** Drupal's flood table: one row per event, counted over a window, shared by every instance. */
export class KyselyFloodRepository implements FloodRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async register(event: string, identifier: string, now: number, window: number): Promise<void> {
    await this.db.insertInto('flood').values({ event, identifier, timestamp: now, expiration: now + window }).execute();
  }

  async count(event: string, identifier: string, since: number): Promise<number> {
    const row = await this.db.selectFrom('flood').select((eb) => eb.fn.countAll<number>().as('n'))
      .where('event', '=', event).where('identifier', '=', identifier).where('timestamp', '>', since).executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  async clear(event: string, identifier: string): Promise<void> {
    await this.db.deleteFrom('flood').where('event', '=', event).where('identifier', '=', identifier).execute();
  }

  async clearPrefix(event: string, prefix: string): Promise<void> {
    const rows = this.db.deleteFrom('flood').where('event', '=', event);
    await rows.where(sql<boolean>`substr(identifier, 1, ${prefix.length}) = ${prefix}`).execute();
  }

  async collectGarbage(now: number): Promise<void> {
    await this.db.deleteFrom('flood').where('expiration', '<', now).execute();
  }
}
