import { type Kysely, type Selectable, sql } from 'kysely';
import type { AccountRow, AccountSearch, ConsoleQueries, FloodRow, MailRow } from '../core/console/console-queries.js';
import type { SessionRecord } from '../core/model.js';
import { type SiteCollation, siteCollation } from '../core/collation/collation.js';
import type { Database } from './schema.js';

/** The console's reads over the local database (name_key/mail_key ranges, keyset paging on uid). */
/** `rules`: the site's name/mail comparison rule, whose LIKE keys the prefix search ranges over. */
export function createConsoleQueries(db: Kysely<Database>, rules: SiteCollation = siteCollation(undefined)): ConsoleQueries {
  const mailRow = (r: Selectable<Database['outbox']>): MailRow => ({
    id: Number(r.id), mailId: r.mail_id, to: r.recipient, subject: r.subject, body: r.body, status: r.status,
    attempts: Number(r.attempts), lastError: r.last_error, created: Number(r.created), sentAt: r.sent_at === null ? null : Number(r.sent_at),
  });
  const floodRow = (r: { fid: number; event: string; identifier: string; timestamp: number; expiration: number }): FloodRow =>
    ({ fid: Number(r.fid), event: r.event, identifier: r.identifier, timestamp: Number(r.timestamp), expiration: Number(r.expiration) });
  return {
    async searchAccounts(q: AccountSearch): Promise<AccountRow[]> {
      const sort = q.sort ?? 'newest';
      const after = q.after;
      const filtered = <T extends { where: any }>(query: T): T => {
        let out: any = query;
        if (q.status !== undefined) out = out.where('status', '=', q.status);
        if (q.rid !== undefined) out = out.where('uid', 'in', db.selectFrom('users_roles').select('uid').where('rid', '=', q.rid));
        // The keyset cursor: rows after the previous page's last one, in the list's order.
        if (after && sort === 'newest') out = out.where('uid', '<', after.uid);
        if (after && sort === 'name' && after.nameKey !== undefined) out = out.where('name_key', '>', after.nameKey);
        // A row value comparison, which both databases answer from the (access, uid) index.
        if (after && sort === 'access' && after.access !== undefined) out = out.where(sql`(access, uid)`, '<', sql`(${after.access}, ${after.uid})`);
        return out;
      };
      // `uid + 0`: the same order, which the planner cannot take from the primary key (it would walk the whole
      // table instead of a key range).
      const ordered = <T extends { orderBy: any }>(query: T, byUid: 'uid' | ReturnType<typeof sql>): T => {
        if (sort === 'name') return query.orderBy('name_key');
        if (sort === 'access') return query.orderBy('access', 'desc').orderBy(byUid, 'desc');
        return query.orderBy(byUid, 'desc');
      };
      let query = filtered(db.selectFrom('users').select(['uid', 'name', 'name_key', 'mail', 'status', 'created', 'access']).where('uid', '>', 0));
      if (q.prefix) {
        // A prefix as a key range (both keys are indexed, so the search stays fast on a large table), the upper
        // bound the prefix with its last character moved on; the substr() test keeps the match exact whatever
        // the database's collation orders between the bounds. Each key's first matches in the list's order are
        // picked by themselves (newest first: from the key's index alone, which holds the uid), and the page is
        // made of the two short lists.
        const first = (column: 'name_key' | 'mail_key', low: string) => {
          const high = low.slice(0, -1) + String.fromCharCode(low.charCodeAt(low.length - 1) + 1);
          const inRange = filtered(db.selectFrom('users').select('uid').where('uid', '>', 0)
            .where(column, '>=', low).where(column, '<', high).where(sql`substr(${sql.ref(column)}, 1, ${[...low].length})`, '=', low));
          return db.selectFrom(ordered(inRange, sql`uid + 0`).limit(q.limit).as(column)).select('uid');
        };
        const matches = first('name_key', rules.name.likeKey(q.prefix)).union(first('mail_key', rules.mail.likeKey(q.prefix)));
        query = query.where('uid', 'in', matches);
      }
      const rows = await ordered(query, 'uid').limit(q.limit).execute();
      return rows.map((r) => ({ uid: Number(r.uid), name: r.name, nameKey: r.name_key ?? '', mail: r.mail, status: Number(r.status), created: Number(r.created), access: Number(r.access) }));
    },
    async rolesOfMany(uids) {
      const out = new Map<number, number[]>();
      if (uids.length === 0) return out;
      const rows = await db.selectFrom('users_roles').select(['uid', 'rid']).where('uid', 'in', uids).orderBy('rid').execute();
      for (const r of rows) out.set(Number(r.uid), [...(out.get(Number(r.uid)) ?? []), Number(r.rid)]);
      return out;
    },
    async sessions(q): Promise<SessionRecord[]> {
      let query = db.selectFrom('sessions').selectAll();
      query = q.uid === undefined ? query.where('uid', '>', 0) : query.where('uid', '=', q.uid);
      if (q.before !== undefined) query = query.where('timestamp', '<', q.before);
      return query.orderBy('timestamp', 'desc').orderBy('sid').limit(q.limit).execute();
    },
    async floodEvents(limit) {
      return (await db.selectFrom('flood').selectAll().orderBy('fid', 'desc').limit(limit).execute()).map(floodRow);
    },
    async floodEvent(fid) {
      const r = await db.selectFrom('flood').selectAll().where('fid', '=', fid).executeTakeFirst();
      return r ? floodRow(r) : undefined;
    },
    async mails(q) {
      let query = db.selectFrom('outbox').selectAll();
      if (q.status) query = query.where('status', '=', q.status);
      return (await query.orderBy('id', 'desc').limit(q.limit).execute()).map(mailRow);
    },
    async mail(id) {
      const r = await db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirst();
      return r ? mailRow(r) : undefined;
    },
    async retryMail(id, now) {
      const result = await db.updateTable('outbox').set({ status: 'pending', attempts: 0, next_attempt_at: now, locked_until: 0 })
        .where('id', '=', id).where('status', '!=', 'sent').executeTakeFirst();
      return Number(result.numUpdatedRows ?? 0) > 0;
    },
  };
}
