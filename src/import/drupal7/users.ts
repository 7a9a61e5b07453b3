/**
 * Step `users`: every account but the anonymous row (uid 0, Gatehouse has its own), in uid order, a batch at
 * a time: uid, name, pass (any hash; legacy ones are upgraded to argon2id at the next login), mail, theme,
 * signature, created/changed/access/login, status, timezone, language, picture, init and `data` in its
 * PHP-serialized form. Upserted by uid, so a re-run updates. Messy rows: see user-checks.ts.
 */
import { ACCOUNT_COLUMNS } from '../../core/model.js';
import { importedCollation } from './collation.js';
import { changeKind } from './report.js';
import { countRows, type ImportContext, type ImportStep, requireTable } from './step.js';
import { type ImportedUser, rowWarnings } from './user-checks.js';

const TABLE = 'users';
const COLUMNS = ACCOUNT_COLUMNS.join(', ');

export const usersStep: ImportStep = {
  name: 'users',
  count: (ctx) => countRows(ctx, TABLE),
  async run(ctx) {
    await requireTable(ctx, TABLE);
    let last = -1;
    for (;;) {
      const rows = await ctx.source.query(`SELECT ${COLUMNS} FROM {users} WHERE uid > ? ORDER BY uid LIMIT ?`, [last, ctx.options.batchSize]);
      if (rows.length === 0) break;
      last = Number(rows[rows.length - 1].uid);
      const users: ImportedUser[] = [];
      for (const row of rows) {
        const u = toUser(row);
        if (u.uid === 0) { ctx.report.count(TABLE, 'skipped'); continue; }
        users.push(u);
      }
      if (users.length > 0) await writeBatch(ctx, users);
      ctx.progress.advance(rows.length);
    }
  },
};

/** A legacy users row as Gatehouse stores it (the bridge reads rows the same way). */
export function toUser(row: Record<string, unknown>): ImportedUser {
  const str = (v: unknown) => (v === null || v === undefined ? '' : String(v));
  const int = (v: unknown) => Number(v ?? 0);
  return {
    uid: int(row.uid), name: str(row.name), pass: str(row.pass), mail: str(row.mail), theme: str(row.theme),
    signature: str(row.signature), signature_format: row.signature_format === null || row.signature_format === undefined ? null : String(row.signature_format),
    created: int(row.created), changed: int(row.changed), access: int(row.access), login: int(row.login), status: int(row.status),
    timezone: row.timezone === null || row.timezone === undefined ? null : String(row.timezone), language: str(row.language),
    picture: int(row.picture), init: str(row.init), data: row.data === null || row.data === undefined ? null : String(row.data),
  };
}

async function writeBatch(ctx: ImportContext, users: ImportedUser[]): Promise<void> {
  const db = ctx.target;
  const rules = importedCollation(ctx);
  const uids = users.map((u) => u.uid);
  const existing = new Map((await db.selectFrom('users').select([...ACCOUNT_COLUMNS, 'name_key', 'mail_key', 'mail_shared']).where('uid', 'in', uids).execute()).map((r) => [Number(r.uid), r]));
  const nameKeys = [...new Set(users.filter((u) => u.name !== '').map((u) => rules.name.likeKey(u.name)))];
  const mailKeys = [...new Set(users.filter((u) => u.mail !== '').map((u) => rules.mail.likeKey(u.mail)))];
  // Holders outside this batch (earlier batches, or accounts Gatehouse had): they keep their keys (a mail's holder
  // is the row under the unique index, not a legacy duplicate).
  const nameHolders = new Map<string, number>();
  if (nameKeys.length > 0) {
    for (const r of await db.selectFrom('users').select(['uid', 'name_key']).where('name_key', 'in', nameKeys).where('uid', 'not in', uids).execute()) nameHolders.set(String(r.name_key), Number(r.uid));
  }
  const mailHolders = new Map<string, number>();
  if (mailKeys.length > 0) {
    for (const r of await db.selectFrom('users').select(['uid', 'mail_key']).where('mail_key', 'in', mailKeys).where('mail_shared', '=', 0).where('uid', 'not in', uids).orderBy('uid').execute()) {
      if (!mailHolders.has(String(r.mail_key))) mailHolders.set(String(r.mail_key), Number(r.uid));
    }
  }
  const values = users.map((u) => {
    const row = `uid=${u.uid}`;
    for (const w of rowWarnings(u)) ctx.report.warn(TABLE, row, w);
    let nameKey: string | null = u.name === '' ? null : rules.name.likeKey(u.name);
    if (nameKey !== null) {
      const holder = nameHolders.get(nameKey);
      if (holder !== undefined) {
        ctx.report.warn(TABLE, row, `name ${JSON.stringify(u.name)} equals uid ${holder}'s under the site's collation: kept, without a name key (rename one of them)`);
        nameKey = null;
      } else nameHolders.set(nameKey, u.uid);
    }
    const mailKey = u.mail === '' ? null : rules.mail.likeKey(u.mail);
    let mailShared = 0;
    if (mailKey !== null) {
      const holder = mailHolders.get(mailKey);
      if (holder !== undefined) {
        ctx.report.warn(TABLE, row, `mail ${JSON.stringify(u.mail)} equals uid ${holder}'s case-insensitively: kept as a legacy duplicate (Drupal's user_save() allowed it; the forms refuse it)`);
        mailShared = 1;
      } else mailHolders.set(mailKey, u.uid);
    }
    return { ...u, name_key: nameKey, mail_key: mailKey, mail_shared: mailShared };
  });
  const changed = values.filter((v) => {
    const kind = changeKind(existing.get(v.uid), v);
    ctx.report.count(TABLE, kind);
    return kind !== 'unchanged';
  });
  for (const uid of uids) ctx.shared.uids.add(uid);
  if (changed.length === 0) return;
  // Names may move between accounts of one batch on a re-run: free this batch's login keys first.
  const rewritten = changed.filter((v) => existing.has(v.uid)).map((v) => v.uid);
  if (rewritten.length > 0) await db.updateTable('users').set({ name_key: null, mail_shared: 1 }).where('uid', 'in', rewritten).execute();
  await db.insertInto('users').values(changed).onConflict((oc) => oc.column('uid').doUpdateSet((eb) => {
    const set: Record<string, unknown> = {};
    for (const c of [...ACCOUNT_COLUMNS, 'name_key', 'mail_key', 'mail_shared'] as const) if (c !== 'uid') set[c] = eb.ref(`excluded.${c}`);
    return set as never;
  })).execute();
}
