import { type Kysely, PostgresAdapter, sql } from 'kysely';
import { type SiteCollation, siteCollation } from '../core/collation/collation.js';
import { ACCOUNT_COLUMNS, type Account, type AccountPatch, type NewAccount } from '../core/model.js';
import { type AccountListQuery, type AccountRepository, DuplicateAccountError, InvalidQueryError, type NameComparison } from '../core/ports.js';
import { isMailKeyViolation } from './account-keys.js';
import type { DialectName } from './database.js';
import type { Database } from './schema.js';
import { precompiled } from './precompiled.js';
import { isUniqueViolation } from './sql-errors.js';

const COLUMNS = ACCOUNT_COLUMNS as readonly string[];
const OPERATORS = new Set(['=', '<=>', '>', '>=', 'IN', 'NOT IN', 'IS', 'IS NOT', 'IS NULL', 'IS NOT NULL', '<', '<=', 'LIKE', '!=', '<>', 'NOT LIKE', 'BETWEEN']);
/** Index filter operators that compare names and mails as the site's collation does (`=` family, LIKE family). */
const EQUALITY_OPS = new Set(['=', '<=>', 'IN', 'NOT IN', '!=', '<>']);
const LIKE_OPS = new Set(['LIKE', 'NOT LIKE']);

export class KyselyAccountRepository implements AccountRepository {
  /** Every request with a session loads its account: compiled once. */
  private readonly selectByUid;

  /** `rules`: the site's name/mail comparison rules (its keys must be the ones stored; see account-keys.ts). */
  constructor(private readonly db: Kysely<Database>, private readonly rules: SiteCollation = siteCollation(undefined)) {
    this.selectByUid = precompiled(db, (uid: number) => this.select().where('uid', '=', uid));
  }

  private select() {
    return this.db.selectFrom('users').select([...ACCOUNT_COLUMNS]);
  }

  async byUid(uid: number): Promise<Account | undefined> {
    return (await this.selectByUid(uid)).rows[0];
  }

  async byName(name: string, op: NameComparison, activeOnly = false): Promise<Account | undefined> {
    return this.firstBy('name', name, op, activeOnly);
  }

  async byMail(mail: string, op: NameComparison, activeOnly = false): Promise<Account | undefined> {
    return this.firstBy('mail', mail, op, activeOnly);
  }

  private firstBy(field: 'name' | 'mail', value: string, op: NameComparison, activeOnly: boolean): Promise<Account | undefined> {
    const [column, compared] = this.compared(field, value, op);
    const q = this.select().where(column, '=', compared).where('uid', '>', 0);
    return (activeOnly ? q.where('status', '=', 1) : q).orderBy('uid').executeTakeFirst();
  }

  /** The column and value an `=` or LIKE comparison of a name or mail uses under the site's rule (both indexed). */
  private compared(field: 'name' | 'mail', value: string, op: NameComparison): [`${'name' | 'mail'}${'' | '_key'}`, string] {
    const rule = this.rules[field];
    if (op === 'like') return [`${field}_key`, rule.likeKey(value)];
    return [rule.equality === 'key' ? `${field}_key` : field, rule.equalValue(value)];
  }

  async nameTaken(name: string, exceptUid = -1): Promise<boolean> {
    const row = await this.db.selectFrom('users').select('uid').where('name_key', '=', this.rules.name.likeKey(name)).where('uid', '!=', exceptUid).executeTakeFirst();
    return row !== undefined;
  }

  async mailTaken(mail: string, exceptUid = -1): Promise<boolean> {
    const row = await this.db.selectFrom('users').select('uid').where('mail_key', '=', this.rules.mail.likeKey(mail)).where('uid', '!=', exceptUid).executeTakeFirst();
    return row !== undefined;
  }

  async insert(input: NewAccount): Promise<number> {
    const { sharedMail, ...account } = input;
    const values = { ...account, ...(sharedMail ? { mail_shared: 1 } : {}), name_key: account.uid === 0 ? null : this.rules.name.likeKey(account.name), mail_key: account.mail === '' ? null : this.rules.mail.likeKey(account.mail) };
    try {
      if (account.uid === undefined) {
        const row = await this.db.insertInto('users').values(values).returning('uid').executeTakeFirstOrThrow();
        return Number(row.uid);
      }
      await this.insertWithUid(values, account.uid);
      return account.uid;
    } catch (err) {
      throw duplicateOr(err);
    }
  }

  /**
   * An insert that names its uid (the anonymous row, uid 1, an imported account). The anonymous row is the
   * same everywhere, so inserting it again (two instances starting at once) is a no-op. On PostgreSQL the
   * identity sequence does not see such inserts: it is moved past max(uid) under a lock that keeps other
   * inserts out meanwhile, so the next allocated uid cannot collide and the sequence never moves back.
   */
  private async insertWithUid(values: NewAccount & { name_key: string | null; mail_key: string | null }, uid: number): Promise<void> {
    const postgres = this.db.getExecutor().adapter instanceof PostgresAdapter;
    const run = async (db: Kysely<Database>) => {
      if (postgres) await sql`lock table users in share row exclusive mode`.execute(db);
      let q = db.insertInto('users').values(values);
      if (uid === 0) q = q.onConflict((oc) => oc.column('uid').doNothing());
      await q.execute();
      if (postgres) await syncIdentitySequence(db, 'users', 'uid');
    };
    if (!postgres || this.db.isTransaction) await run(this.db);
    else await this.db.transaction().execute(run);
  }

  async update(uid: number, input: AccountPatch): Promise<void> {
    const { sharedMail, ...patch } = input;
    const values: Record<string, unknown> = { ...patch };
    delete values.uid;
    if (patch.name !== undefined) values.name_key = this.rules.name.likeKey(patch.name);
    if (patch.mail !== undefined) {
      const key = patch.mail === '' ? null : this.rules.mail.likeKey(patch.mail);
      values.mail_key = key;
      // A legacy duplicate that takes another address leaves the shared ones: the unique index then holds it.
      values.mail_shared = key === null ? 0 : sharedMail ? 1 : sql`case when mail_key = ${key} then mail_shared else 0 end`;
    }
    if (Object.keys(values).length === 0) return;
    try {
      await this.db.updateTable('users').set(values).where('uid', '=', uid).execute();
    } catch (err) {
      throw duplicateOr(err);
    }
  }

  /**
   * An index filter on `name` or `mail` compares as the site's database did (Services' `name IN (…)` under
   * utf8_general_ci finds `ALICE` for `alice`): the `=` family through the site's `=` rule, LIKE through its
   * LIKE rule (`%` and `_` fold to themselves). Other columns and operators are left as they are.
   */
  private filtered(column: string, op: string, values: string[]): [string, string[]] {
    if (column !== 'name' && column !== 'mail') return [column, values];
    if (EQUALITY_OPS.has(op)) {
      const [target] = this.compared(column, '', '=');
      return [target, values.map((v) => this.rules[column].equalValue(v))];
    }
    if (LIKE_OPS.has(op)) return [`${column}_key`, values.map((v) => this.rules[column].likeKey(v))];
    return [column, values];
  }

  async markLoggedIn(uid: number, expected: number, now: number): Promise<boolean> {
    const result = await this.db.updateTable('users').set({ login: now }).where('uid', '=', uid).where('login', '=', expected).executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async delete(uid: number): Promise<void> {
    await this.db.deleteFrom('users_roles').where('uid', '=', uid).execute();
    await this.db.deleteFrom('users').where('uid', '=', uid).execute();
  }

  async list(query: AccountListQuery): Promise<Record<string, unknown>[]> {
    const check = (column: string) => { if (!COLUMNS.includes(column)) throw new InvalidQueryError(`Unknown column '${column}'`); return column; };
    const fields = query.fields === '*' ? [...COLUMNS] : query.fields.map(check);
    let q = this.db.selectFrom('users').select(fields.map((f) => sql.ref(f).as(f)));
    for (const cond of query.conditions) {
      const op = OPERATORS.has(cond.op.toUpperCase()) ? cond.op.toUpperCase() : 'IN';
      const [name, values] = this.filtered(check(cond.column), op, cond.values);
      q = q.where(({ eb }: any) => conditionFor(eb, sql.ref(name), op, values)) as typeof q;
    }
    for (const order of query.orderBy) q = q.orderBy(sql.ref(check(order.column)), order.direction === 'DESC' ? 'desc' : 'asc') as typeof q;
    try {
      return await q.limit(query.limit).offset(query.offset).execute();
    } catch (err) {
      throw new InvalidQueryError(err instanceof Error ? err.message : String(err));
    }
  }
}

/**
 * PostgreSQL: moves the identity sequence of `table.column` past the column's largest value and `atLeast`
 * (never backwards; nothing when both are below 1, so the anonymous row alone leaves uid 1 to the first
 * account). Call it after inserts that name their key, under a lock that keeps other inserts out. Only our
 * own sequence is read (by oid): scanning pg_sequences would fail when another schema is dropped meanwhile.
 */
export async function syncIdentitySequence(db: Kysely<any>, table: string, column: string, atLeast = 0): Promise<void> {
  await sql`select setval(q.seq, greatest(m.top, ${atLeast}::bigint, coalesce(pg_sequence_last_value(q.seq::regclass), 0)))
    from (select max(${sql.ref(column)}) as top from ${sql.table(table)}) m,
         (select pg_get_serial_sequence(${table}, ${column}) as seq) q
    where greatest(m.top, ${atLeast}::bigint) >= 1`.execute(db);
}

/**
 * The next uid handed out is above `upTo` and every uid present, on either database (Drupal's `sequences`
 * value after an import). Never moves back. SQLite keeps the mark in sqlite_sequence (users is AUTOINCREMENT).
 */
export async function reserveUids(db: Kysely<any>, dialect: DialectName, upTo: number): Promise<void> {
  if (dialect === 'postgres') return syncIdentitySequence(db, 'users', 'uid', upTo);
  await sql`insert into sqlite_sequence (name, seq) select 'users', 0 where not exists (select 1 from sqlite_sequence where name = 'users')`.execute(db);
  await sql`update sqlite_sequence set seq = max(seq, ${upTo}, (select coalesce(max(uid), 0) from users)) where name = 'users'`.execute(db);
}

/** A unique violation as the core sees it: the mail's index or the name's. */
function duplicateOr(err: unknown): unknown {
  if (!isUniqueViolation(err)) return err;
  return new DuplicateAccountError(isMailKeyViolation(err) ? 'mail' : 'name');
}

function conditionFor(eb: any, column: ReturnType<typeof sql.ref>, op: string, values: string[]) {
  switch (op) {
    case 'IN': return eb(column, 'in', values.length > 0 ? values : ['']);
    case 'NOT IN': return eb(column, 'not in', values.length > 0 ? values : ['']);
    case 'IS NULL': return eb(column, 'is', null);
    case 'IS NOT NULL': return eb(column, 'is not', null);
    case 'IS': return eb(column, 'is', values[0] ?? null);
    case 'IS NOT': return eb(column, 'is not', values[0] ?? null);
    case 'BETWEEN': return eb.between(column, values[0] ?? '', values[1] ?? '');
    case '<=>': return eb(column, '=', values[0] ?? '');
    case '<>': return eb(column, '!=', values[0] ?? '');
    case 'LIKE': return eb(column, 'like', values[0] ?? '');
    case 'NOT LIKE': return eb(column, 'not like', values[0] ?? '');
    default: return eb(column, op.toLowerCase(), values[0] ?? '');
  }
}
