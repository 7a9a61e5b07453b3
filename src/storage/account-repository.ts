import { type Kysely, sql } from 'kysely';
import { ACCOUNT_COLUMNS, type Account, type NewAccount } from '../core/model.js';
import { type AccountListQuery, type AccountRepository, DuplicateAccountError, InvalidQueryError } from '../core/ports.js';
import type { Database } from './schema.js';
import { isUniqueViolation } from './sql-errors.js';

const COLUMNS = ACCOUNT_COLUMNS as readonly string[];
const OPERATORS = new Set(['=', '<=>', '>', '>=', 'IN', 'NOT IN', 'IS', 'IS NOT', 'IS NULL', 'IS NOT NULL', '<', '<=', 'LIKE', '!=', '<>', 'NOT LIKE', 'BETWEEN']);

/** The case-insensitive key a name or mail is unique by (Drupal compares with LIKE). */
export const caseKey = (value: string): string => value.toLowerCase();

export class KyselyAccountRepository implements AccountRepository {
  constructor(private readonly db: Kysely<Database>) {}

  private select() {
    return this.db.selectFrom('users').select([...ACCOUNT_COLUMNS]);
  }

  async byUid(uid: number): Promise<Account | undefined> {
    return this.select().where('uid', '=', uid).executeTakeFirst();
  }

  async byName(name: string, match: 'exact' | 'insensitive'): Promise<Account | undefined> {
    const q = match === 'exact' ? this.select().where('name', '=', name) : this.select().where('name_key', '=', caseKey(name));
    return q.where('uid', '>', 0).orderBy('uid').executeTakeFirst();
  }

  async byMail(mail: string, match: 'exact' | 'insensitive'): Promise<Account | undefined> {
    const q = match === 'exact' ? this.select().where('mail', '=', mail) : this.select().where('mail_key', '=', caseKey(mail));
    return q.where('uid', '>', 0).orderBy('uid').executeTakeFirst();
  }

  async nameTaken(name: string, exceptUid = -1): Promise<boolean> {
    const row = await this.db.selectFrom('users').select('uid').where('name_key', '=', caseKey(name)).where('uid', '!=', exceptUid).executeTakeFirst();
    return row !== undefined;
  }

  async mailTaken(mail: string, exceptUid = -1): Promise<boolean> {
    const row = await this.db.selectFrom('users').select('uid').where('mail_key', '=', caseKey(mail)).where('uid', '!=', exceptUid).executeTakeFirst();
    return row !== undefined;
  }

  async insert(account: NewAccount): Promise<number> {
    const values = { ...account, name_key: account.uid === 0 ? null : caseKey(account.name), mail_key: account.mail === '' ? null : caseKey(account.mail) };
    try {
      const row = await this.db.insertInto('users').values(values).returning('uid').executeTakeFirstOrThrow();
      return Number(row.uid);
    } catch (err) {
      if (isUniqueViolation(err)) throw new DuplicateAccountError('name');
      throw err;
    }
  }

  async update(uid: number, patch: Partial<Account>): Promise<void> {
    const values: Record<string, unknown> = { ...patch };
    delete values.uid;
    if (patch.name !== undefined) values.name_key = caseKey(patch.name);
    if (patch.mail !== undefined) values.mail_key = patch.mail === '' ? null : caseKey(patch.mail);
    if (Object.keys(values).length === 0) return;
    try {
      await this.db.updateTable('users').set(values).where('uid', '=', uid).execute();
    } catch (err) {
      if (isUniqueViolation(err)) throw new DuplicateAccountError('name');
      throw err;
    }
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
      const column = sql.ref(check(cond.column));
      const op = OPERATORS.has(cond.op.toUpperCase()) ? cond.op.toUpperCase() : 'IN';
      q = q.where(({ eb }: any) => conditionFor(eb, column, op, cond.values)) as typeof q;
    }
    for (const order of query.orderBy) q = q.orderBy(sql.ref(check(order.column)), order.direction === 'DESC' ? 'desc' : 'asc') as typeof q;
    try {
      return await q.limit(query.limit).offset(query.offset).execute();
    } catch (err) {
      throw new InvalidQueryError(err instanceof Error ? err.message : String(err));
    }
  }
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
