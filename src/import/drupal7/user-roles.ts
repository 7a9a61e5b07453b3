/**
 * Step `user-roles`: `users_roles` for every imported account. An account's roles in Gatehouse become exactly
 * the site's (a re-run after a role was taken away removes it). Rows naming a role the site does not have
 * are skipped with an error; rows naming no imported account are counted and reported once.
 */
import { changeKind } from './report.js';
import { chunks, countRows, type ImportContext, type ImportStep } from './step.js';

const TABLE = 'users_roles';

export const userRolesStep: ImportStep = {
  name: 'user-roles',
  count: (ctx) => countRows(ctx, TABLE),
  async run(ctx) {
    if (!(await ctx.source.hasTable(TABLE))) { ctx.report.note('The site has no users_roles table: role memberships were left as they were.'); return; }
    const uids = [...ctx.shared.uids].sort((a, b) => a - b);
    let seen = 0;
    for (const batch of chunks(uids, ctx.options.batchSize)) {
      const placeholders = batch.map(() => '?').join(', ');
      const rows = await ctx.source.query(`SELECT uid, rid FROM {users_roles} WHERE uid IN (${placeholders}) ORDER BY uid, rid`, batch);
      seen += rows.length;
      await writeBatch(ctx, batch, rows.map((r) => ({ uid: Number(r.uid), rid: Number(r.rid) })));
      ctx.progress.advance(rows.length);
    }
    const orphans = (await countRows(ctx, TABLE)) - seen;
    if (orphans > 0) {
      ctx.report.count(TABLE, 'skipped', orphans);
      ctx.report.issues.push({ severity: 'error', table: TABLE, row: `${orphans} rows`, reason: 'they name accounts that were not imported (missing from users, or uid 0)' });
    }
  },
};

async function writeBatch(ctx: ImportContext, uids: number[], rows: Array<{ uid: number; rid: number }>): Promise<void> {
  const wanted = new Map<number, Set<number>>();
  for (const r of rows) {
    if (!ctx.shared.rids.has(r.rid)) { ctx.report.error(TABLE, `uid=${r.uid} rid=${r.rid}`, `role ${r.rid} does not exist on the site`); continue; }
    let set = wanted.get(r.uid);
    if (!set) wanted.set(r.uid, (set = new Set()));
    set.add(r.rid);
  }
  const current = new Map<number, Set<number>>();
  for (const r of await ctx.target.selectFrom('users_roles').select(['uid', 'rid']).where('uid', 'in', uids).execute()) {
    let set = current.get(r.uid);
    if (!set) current.set(r.uid, (set = new Set()));
    set.add(r.rid);
  }
  const changedUids: number[] = [];
  const inserts: Array<{ uid: number; rid: number }> = [];
  for (const uid of uids) {
    const want = wanted.get(uid) ?? new Set<number>();
    const have = current.get(uid) ?? new Set<number>();
    for (const rid of want) ctx.report.count(TABLE, changeKind(have.has(rid) ? {} : undefined, {}));
    const removed = [...have].filter((rid) => !want.has(rid)).length;
    ctx.report.count(TABLE, 'removed', removed);
    if (removed === 0 && [...want].every((rid) => have.has(rid))) continue;
    changedUids.push(uid);
    for (const rid of want) inserts.push({ uid, rid });
  }
  if (changedUids.length === 0) return;
  await ctx.target.deleteFrom('users_roles').where('uid', 'in', changedUids).execute();
  for (const part of chunks(inserts, 5000)) await ctx.target.insertInto('users_roles').values(part).execute();
}
