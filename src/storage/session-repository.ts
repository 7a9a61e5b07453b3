import type { Kysely } from 'kysely';
import type { SessionRecord } from '../core/model.js';
import type { SessionRepository } from '../core/ports.js';
import type { Database } from './schema.js';

export class KyselySessionRepository implements SessionRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async get(sid: string): Promise<SessionRecord | undefined> {
    return this.db.selectFrom('sessions').selectAll().where('sid', '=', sid).executeTakeFirst();
  }

  async save(record: SessionRecord): Promise<void> {
    const { sid, ...rest } = record;
    await this.db.insertInto('sessions').values(record)
      .onConflict((oc) => oc.column('sid').doUpdateSet(rest)).execute();
  }

  async rekey(oldSid: string, record: SessionRecord): Promise<void> {
    await this.db.deleteFrom('sessions').where('sid', '=', oldSid).execute();
    await this.save(record);
  }

  async delete(sid: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('sid', '=', sid).execute();
  }

  async deleteForUser(uid: number): Promise<void> {
    await this.db.deleteFrom('sessions').where('uid', '=', uid).execute();
  }

  async collectGarbage(olderThan: number): Promise<number> {
    const result = await this.db.deleteFrom('sessions').where('timestamp', '<', olderThan).executeTakeFirst();
    return Number(result.numDeletedRows ?? 0);
  }
}
