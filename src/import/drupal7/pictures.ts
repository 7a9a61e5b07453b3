/**
 * Step `pictures`: the `file_managed` rows user pictures point at (`users.picture` = fid), with their fids,
 * so pictures keep their URLs. The files themselves are not copied (Gatehouse serves the file object, the web
 * server keeps serving the bytes). A picture naming a missing file is reported (Drupal shows no picture then).
 */
import { type ImportContext, type ImportStep } from './step.js';
import { syncIdentitySequence } from '../../storage/account-repository.js';

const TABLE = 'file_managed';

export const picturesStep: ImportStep = {
  name: 'pictures',
  async count(ctx) {
    const rows = await ctx.source.query('SELECT COUNT(*) AS n FROM {users} WHERE picture > 0');
    return Number(rows[0]?.n ?? 0);
  },
  async run(ctx) {
    // Picture URLs are built on the public files directory (file_create_url): keep the site's when it set one.
    const publicPath = ctx.shared.variables.get('file_public_path');
    if (typeof publicPath === 'string' && publicPath !== '') {
      const json = JSON.stringify(publicPath);
      await ctx.target.insertInto('variable').values({ name: 'file_public_path', value: json })
        .onConflict((oc) => oc.column('name').doUpdateSet({ value: json })).execute();
    }
    const users = await ctx.source.query('SELECT uid, picture FROM {users} WHERE picture > 0 ORDER BY uid');
    if (users.length === 0) return;
    if (!(await ctx.source.hasTable(TABLE))) { ctx.report.note('The site has no file_managed table: user pictures were not imported.'); return; }
    for (const u of users) {
      const uid = Number(u.uid);
      const fid = Number(u.picture);
      ctx.progress.advance(1);
      if (!ctx.shared.uids.has(uid)) continue;
      const [file] = await ctx.source.query('SELECT fid, uid, filename, uri, filemime, filesize, status, timestamp FROM {file_managed} WHERE fid = ?', [fid]);
      if (!file) { ctx.report.error(TABLE, `fid=${fid} uid=${uid}`, 'the account\'s picture names a file the site does not have: no picture'); continue; }
      await saveFile(ctx, {
        fid, uid: Number(file.uid), filename: String(file.filename), uri: String(file.uri), filemime: String(file.filemime),
        filesize: Number(file.filesize), status: Number(file.status), timestamp: Number(file.timestamp),
      });
    }
    // PostgreSQL's fid sequence does not see explicit fids: past the largest, never back.
    if (ctx.dialect === 'postgres') await syncIdentitySequence(ctx.target, 'file_managed', 'fid');
  },
};

async function saveFile(ctx: ImportContext, file: { fid: number; uid: number; filename: string; uri: string; filemime: string; filesize: number; status: number; timestamp: number }): Promise<void> {
  const before = await ctx.target.selectFrom('file_managed').selectAll().where('fid', '=', file.fid).executeTakeFirst();
  if (!before) {
    await ctx.target.insertInto('file_managed').values(file).execute();
    ctx.report.count(TABLE, 'imported');
    return;
  }
  const same = Object.entries(file).every(([k, v]) => String((before as Record<string, unknown>)[k]) === String(v));
  if (same) { ctx.report.count(TABLE, 'unchanged'); return; }
  await ctx.target.updateTable('file_managed').set(file).where('fid', '=', file.fid).execute();
  ctx.report.count(TABLE, 'updated');
}
