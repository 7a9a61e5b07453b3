/**
 * Step `sessions`: live `sessions` rows, so app users stay logged in. Gatehouse stores
 * `sid` = base64url(sha256(cookie value)), Drupal 7.10x's hashed-at-rest format: such rows drop in as they
 * are. Older sites (variable `hashed_session_ids_supported` not set) store the cookie value itself: it is
 * hashed here. The HTTPS id (`ssid`) wins over `sid` when both are set, as the cookie an app holds on an
 * HTTPS site is the secure one. Timestamps are kept: Gatehouse applies no shorter expiry to imported rows.
 */
import { hashSessionId } from '../../core/crypto/session-id.js';
import { changeKind } from './report.js';
import { countRows, type ImportContext, type ImportStep } from './step.js';

const TABLE = 'sessions';
const HASHED_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/** Whether the site stores hashed ids: the option, else the site's `hashed_session_ids_supported`. */
export function sessionIdsHashed(ctx: ImportContext): boolean {
  if (ctx.options.sessionIds !== 'auto') return ctx.options.sessionIds === 'hashed';
  const v = ctx.shared.variables.get('hashed_session_ids_supported');
  return v === true || v === 1 || v === '1';
}

export const sessionsStep: ImportStep = {
  name: 'sessions',
  count: (ctx) => countRows(ctx, TABLE),
  async run(ctx) {
    if (!(await ctx.source.hasTable(TABLE))) { ctx.report.note('The site has no sessions table: nobody stays logged in.'); return; }
    const hashed = sessionIdsHashed(ctx);
    ctx.report.note(`Session ids on the site are ${hashed ? 'hashed at rest (imported as they are)' : 'stored in plain (hashed on import)'}.`);
    let last: [string, string] = ['', ''];
    let first = true;
    for (;;) {
      const rows = first
        ? await ctx.source.query('SELECT uid, sid, ssid, hostname, timestamp, cache, session FROM {sessions} ORDER BY sid, ssid LIMIT ?', [ctx.options.batchSize])
        : await ctx.source.query('SELECT uid, sid, ssid, hostname, timestamp, cache, session FROM {sessions} WHERE sid > ? OR (sid = ? AND ssid > ?) ORDER BY sid, ssid LIMIT ?', [last[0], last[0], last[1], ctx.options.batchSize]);
      first = false;
      if (rows.length === 0) break;
      const lastRow = rows[rows.length - 1];
      last = [String(lastRow.sid), String(lastRow.ssid ?? '')];
      await writeBatch(ctx, rows.map((row) => toRecord(ctx, row, hashed)).filter((r): r is SessionRow => r !== null));
      ctx.progress.advance(rows.length);
    }
  },
};

type SessionRow = { sid: string; ssid: string; uid: number; hostname: string; timestamp: number; cache: number; session: string };

/** The Gatehouse row for a site row, or null (reported) when it cannot be imported. */
function toRecord(ctx: ImportContext, row: Record<string, unknown>, hashed: boolean): SessionRow | null {
  const uid = Number(row.uid);
  const sid = String(row.sid ?? '');
  const ssid = String(row.ssid ?? '');
  const key = ssid !== '' ? ssid : sid;
  const label = `uid=${uid} sid=${key.slice(0, 8)}…`;
  if (key === '') { ctx.report.error(TABLE, label, 'neither sid nor ssid is set'); return null; }
  if (uid !== 0 && !ctx.shared.uids.has(uid)) { ctx.report.error(TABLE, label, `account ${uid} was not imported`); return null; }
  if (hashed && !HASHED_SHAPE.test(key)) ctx.report.warn(TABLE, label, 'the id does not look like a hashed id (43 base64url characters): check --session-ids');
  return {
    sid: hashed ? key : hashSessionId(key),
    ssid: ssid === '' ? '' : hashed ? ssid : hashSessionId(ssid),
    uid, hostname: String(row.hostname ?? ''), timestamp: Number(row.timestamp ?? 0), cache: Number(row.cache ?? 0),
    session: row.session === null || row.session === undefined ? '' : String(row.session),
  };
}

async function writeBatch(ctx: ImportContext, records: SessionRow[]): Promise<void> {
  if (records.length === 0) return;
  const existing = new Map((await ctx.target.selectFrom('sessions').selectAll().where('sid', 'in', records.map((r) => r.sid)).execute()).map((r) => [r.sid, r]));
  const changed = new Map<string, SessionRow>();
  for (const record of records) {
    const kind = changeKind(existing.get(record.sid), record);
    ctx.report.count(TABLE, kind);
    if (kind !== 'unchanged') changed.set(record.sid, record);
  }
  if (changed.size === 0) return;
  await ctx.target.insertInto('sessions').values([...changed.values()]).onConflict((oc) => oc.column('sid').doUpdateSet((eb) => ({
    ssid: eb.ref('excluded.ssid'), uid: eb.ref('excluded.uid'), hostname: eb.ref('excluded.hostname'),
    timestamp: eb.ref('excluded.timestamp'), cache: eb.ref('excluded.cache'), session: eb.ref('excluded.session'),
  }))).execute();
}
