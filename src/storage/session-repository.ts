import type { Kysely } from 'kysely';
import type { SessionRecord } from '../core/model.js';
import type { SessionRepository } from '../core/ports.js';
import { precompiled } from './precompiled.js';
import type { Database } from './schema.js';

export class KyselySessionRepository implements SessionRepository {
  /** Every request with a cookie looks its session up: compiled once. */
  private readonly selectBySid;

  constructor(private readonly db: Kysely<Database>) {
    this.selectBySid = precompiled(db, (sid: string) => db.selectFrom('sessions').selectAll().where('sid', '=', sid));
  }

  async get(sid: string): Promise<SessionRecord | undefined> {
    return (await this.selectBySid(sid)).rows[0];
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
