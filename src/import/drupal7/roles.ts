/**
 * Step `roles`: `role` (original rids, names, weights) and `role_permission` (every permission string, known
 * to Gatehouse or not, with its module). A role's permissions in Gatehouse become exactly the site's:
 * re-running after a permission was revoked on the site removes it. A Gatehouse role whose name a site role
 * takes under another rid (the baseline `administrator`, rid 3, when the site's is elsewhere) is replaced.
 */
import { changeKind } from './report.js';
import { countRows, type ImportContext, type ImportStep, requireTable } from './step.js';

interface PermissionRow { permission: string; module: string }

export const rolesStep: ImportStep = {
  name: 'roles',
  count: async (ctx) => (await countRows(ctx, 'role')) + (await countRows(ctx, 'role_permission')),
  async run(ctx) {
    await requireTable(ctx, 'role');
    await importRoles(ctx);
    if (await ctx.source.hasTable('role_permission')) await importPermissions(ctx);
    else ctx.report.note('The site has no role_permission table: role permissions were left as they were.');
  },
};

async function importRoles(ctx: ImportContext): Promise<void> {
  const rows = await ctx.source.query('SELECT rid, name, weight FROM {role} ORDER BY rid');
  const siteRids = new Set(rows.map((r) => Number(r.rid)));
  for (const row of rows) {
    const role = { rid: Number(row.rid), name: String(row.name), weight: Number(row.weight ?? 0) };
    const clash = await ctx.target.selectFrom('role').select('rid').where('name', '=', role.name).where('rid', '!=', role.rid).executeTakeFirst();
    if (clash && !siteRids.has(clash.rid)) {
      await dropRole(ctx, clash.rid);
      ctx.report.warn('role', `rid=${role.rid}`, `Gatehouse's role "${role.name}" (rid ${clash.rid}) was replaced by the site's (rid ${role.rid})`);
    }
    const before = await ctx.target.selectFrom('role').select(['name', 'weight']).where('rid', '=', role.rid).executeTakeFirst();
    const kind = changeKind(before, { name: role.name, weight: role.weight });
    ctx.report.count('role', kind);
    if (kind !== 'unchanged') {
      await ctx.target.insertInto('role').values(role)
        .onConflict((oc) => oc.column('rid').doUpdateSet({ name: role.name, weight: role.weight })).execute();
    }
    ctx.shared.rids.add(role.rid);
  }
  ctx.progress.advance(rows.length);
  const extra = await ctx.target.selectFrom('role').select(['rid', 'name']).execute();
  for (const r of extra) {
    if (!siteRids.has(r.rid)) ctx.report.warn('role', `rid=${r.rid}`, `Gatehouse's role "${r.name}" is not on the site; kept`);
  }
}

async function dropRole(ctx: ImportContext, rid: number): Promise<void> {
  await ctx.target.deleteFrom('role_permission').where('rid', '=', rid).execute();
  await ctx.target.deleteFrom('users_roles').where('rid', '=', rid).execute();
  await ctx.target.deleteFrom('role').where('rid', '=', rid).execute();
}

async function importPermissions(ctx: ImportContext): Promise<void> {
  const rows = await ctx.source.query('SELECT rid, permission, module FROM {role_permission} ORDER BY rid, permission');
  const byRole = new Map<number, PermissionRow[]>();
  for (const row of rows) {
    const rid = Number(row.rid);
    const permission = String(row.permission);
    if (!ctx.shared.rids.has(rid)) {
      ctx.report.error('role_permission', `rid=${rid} permission="${permission}"`, `role ${rid} does not exist on the site`);
      continue;
    }
    let list = byRole.get(rid);
    if (!list) byRole.set(rid, (list = []));
    list.push({ permission, module: String(row.module ?? '') });
  }
  for (const rid of ctx.shared.rids) {
    const wanted = byRole.get(rid) ?? [];
    const current = await ctx.target.selectFrom('role_permission').select(['permission', 'module']).where('rid', '=', rid).execute();
    const have = new Map(current.map((p) => [p.permission, p.module]));
    const want = new Set(wanted.map((p) => p.permission));
    for (const p of wanted) ctx.report.count('role_permission', changeKind(have.has(p.permission) ? { module: have.get(p.permission) } : undefined, { module: p.module }));
    const removed = current.filter((p) => !want.has(p.permission)).length;
    ctx.report.count('role_permission', 'removed', removed);
    const same = removed === 0 && wanted.every((p) => have.get(p.permission) === p.module);
    if (same) continue;
    await ctx.target.deleteFrom('role_permission').where('rid', '=', rid).execute();
    if (wanted.length > 0) await ctx.target.insertInto('role_permission').values(wanted.map((p) => ({ rid, ...p }))).execute();
  }
  ctx.progress.advance(rows.length);
}
