import type { Kysely, Selectable } from 'kysely';
import type { AuditEvent, AuditEventName, AuditLog } from '../core/audit/audit-log.js';
import type { AuditTable, Database } from './schema.js';

const row = (r: Selectable<AuditTable>): AuditEvent => ({
  id: Number(r.id), created: Number(r.created), event: r.event as AuditEventName, actorUid: Number(r.actor_uid), actorName: r.actor_name,
  targetUid: r.target_uid === null ? null : Number(r.target_uid), targetName: r.target_name, ip: r.ip, detail: r.detail,
});

/** The audit log in the gatehouse_audit table. */
export function createAuditLog(db: Kysely<Database>): AuditLog {
  return {
    async record(e) {
      await db.insertInto('gatehouse_audit').values({
        created: e.created, event: e.event, actor_uid: e.actorUid, actor_name: e.actorName.slice(0, 255), target_uid: e.targetUid,
        target_name: e.targetName.slice(0, 255), ip: e.ip.slice(0, 128), detail: e.detail,
      }).execute();
    },
    async list(q) {
      let query = db.selectFrom('gatehouse_audit').selectAll();
      if (q.event) query = query.where('event', '=', q.event);
      if (q.uid !== undefined) query = query.where((eb) => eb.or([eb('target_uid', '=', q.uid!), eb('actor_uid', '=', q.uid!)]));
      if (q.before !== undefined) query = query.where('id', '<', q.before);
      return (await query.orderBy('id', 'desc').limit(q.limit).execute()).map(row);
    },
    async purge(olderThan) {
      const result = await db.deleteFrom('gatehouse_audit').where('created', '<', olderThan).executeTakeFirst();
      return Number(result.numDeletedRows ?? 0);
    },
  };
}
