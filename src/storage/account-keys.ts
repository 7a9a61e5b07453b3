/**
 * The name and mail keys of every account follow the site's comparison rule (core/collation): when the rule
 * changes (an import brings the source database's collation, an operator sets `gatehouse_collation`), every
 * key is computed again, in uid order: of two names equal under the new rule the later keeps no key (it still
 * loads, and logs in where `=` is exact), of two mails the later is marked `mail_shared` (a legacy duplicate,
 * outside the unique index). The fold the keys were made with is kept in the `gatehouse_collation_keys`
 * setting, `<name fold>|<mail fold>` (absent: lowercase, what every earlier version stored).
 */
import { type Kysely, sql } from 'kysely';
import type { SiteCollation } from '../core/collation/collation.js';
import type { Database } from './schema.js';

export const KEYS_VARIABLE = 'gatehouse_collation_keys';
const BATCH = 2000;
const WRITE_CHUNK = 500;

export interface RekeyResult { rekeyed: number; nameClashes: Array<{ uid: number; holder: number }>; mailShared: number }

/** Recomputes every key when the stored ones were made with another fold; returns what it did (null: nothing to do). */
export async function ensureAccountKeys(db: Kysely<Database>, rules: SiteCollation): Promise<RekeyResult | null> {
  const wanted = `${rules.name.fold}|${rules.mail.fold}`;
  const run = async (tx: Kysely<Database>): Promise<RekeyResult | null> => {
    const row = await tx.selectFrom('variable').select('value').where('name', '=', KEYS_VARIABLE).executeTakeFirst();
    const stored = row ? String(JSON.parse(row.value)) : 'lower|lower';
    if (stored === wanted) return null;
    const result = await rekeyAccounts(tx, rules);
    const value = JSON.stringify(wanted);
    await tx.insertInto('variable').values({ name: KEYS_VARIABLE, value }).onConflict((oc) => oc.column('name').doUpdateSet({ value })).execute();
    return result;
  };
  return db.isTransaction ? run(db) : db.transaction().execute(run);
}

/** Every account's keys under `rules` (call inside a transaction). */
async function rekeyAccounts(db: Kysely<Database>, rules: SiteCollation): Promise<RekeyResult> {
  await db.updateTable('users').set({ name_key: null, mail_key: null, mail_shared: 0 }).execute();
  const names = new Map<string, number>();
  const mails = new Set<string>();
  const result: RekeyResult = { rekeyed: 0, nameClashes: [], mailShared: 0 };
  for (let last = -1; ;) {
    const rows = await db.selectFrom('users').select(['uid', 'name', 'mail']).where('uid', '>', last).orderBy('uid').limit(BATCH).execute();
    if (rows.length === 0) break;
    last = Number(rows[rows.length - 1].uid);
    const keyed: KeyedRow[] = [];
    for (const r of rows) {
      const uid = Number(r.uid);
      let nameKey: string | null = uid === 0 || r.name === '' ? null : rules.name.likeKey(r.name);
      if (nameKey !== null) {
        const holder = names.get(nameKey);
        if (holder !== undefined) { result.nameClashes.push({ uid, holder }); nameKey = null; } else names.set(nameKey, uid);
      }
      const mailKey = r.mail === '' ? null : rules.mail.likeKey(r.mail);
      const shared = mailKey !== null && mails.has(mailKey) ? 1 : 0;
      if (mailKey !== null) mails.add(mailKey);
      result.mailShared += shared;
      keyed.push({ uid, nameKey, mailKey, shared });
    }
    for (let i = 0; i < keyed.length; i += WRITE_CHUNK) await writeKeys(db, keyed.slice(i, i + WRITE_CHUNK));
    result.rekeyed += keyed.length;
  }
  return result;
}

interface KeyedRow { uid: number; nameKey: string | null; mailKey: string | null; shared: number }

/**
 * One statement for a chunk of rows in uid order (a statement per row made a million accounts take minutes); the
 * uid range keeps the planner from scanning the whole table for each chunk.
 */
async function writeKeys(db: Kysely<Database>, rows: KeyedRow[]): Promise<void> {
  const values = rows.map((r) => sql`(cast(${r.uid} as integer), cast(${r.nameKey} as text), cast(${r.mailKey} as text), cast(${r.shared} as integer))`);
  await sql`with v(uid, name_key, mail_key, mail_shared) as (values ${sql.join(values)})
    update users set name_key = v.name_key, mail_key = v.mail_key, mail_shared = v.mail_shared from v
    where users.uid = v.uid and users.uid between ${rows[0].uid} and ${rows[rows.length - 1].uid}`.execute(db);
}

/** True when `err` is a unique violation of the mail key's index (not the name's). */
export function isMailKeyViolation(err: unknown): boolean {
  const e = err as { constraint?: unknown; message?: unknown } | null;
  return e?.constraint === 'users_mail_key_unique' || (typeof e?.message === 'string' && /users\.mail_key|users_mail_key_unique/.test(e.message));
}
