import { ACCOUNT_COLUMNS, type Account, type SessionRecord } from '../core/model.js';
import { phpUnserialize } from '../lib/php-serialize.js';
import { type LegacyConnection, type LegacyQuery, openLegacyConnection, type Row } from './legacy-connection.js';

export type { LegacyQuery } from './legacy-connection.js';

/** The legacy database could not be reached or refused a statement. */
export class LegacyDatabaseError extends Error {
  constructor(message: string, readonly cause?: unknown) { super(message); }

  /** A write that can never succeed as it is (a duplicate key): retrying would block every later write. */
  get permanent(): boolean { return ['ER_DUP_ENTRY', '23505'].includes(String((this.cause as { code?: string } | undefined)?.code)); }
}

/** Told how each statement went (LegacyHealth). */
export interface LegacyObserver { ok(): void; failed(err: unknown): void }

/** One user row of the legacy site, as `bridge check` compares it. */
export interface LegacyUser { uid: number; name: string; mail: string; status: number }

/**
 * The legacy Drupal 7 database (MySQL/MariaDB or PostgreSQL) seen through the few tables Gatehouse shares with it:
 * `sessions`, `users`, `users_roles`, `sequences`, `variable`, `role`. Every write is idempotent so a
 * retried write-back lands the same way twice.
 */
export class LegacyDatabase {
  private constructor(private readonly conn: LegacyConnection, private readonly observer: LegacyObserver | undefined) {}

  static open(url: string, timeoutMs: number, observer?: LegacyObserver): LegacyDatabase {
    return new LegacyDatabase(openLegacyConnection(url, timeoutMs), observer);
  }

  get dialect(): 'mysql' | 'postgres' { return this.conn.dialect; }

  private async run<T>(what: string, fn: () => Promise<T>): Promise<T> {
    let result: T;
    try { result = await fn(); } catch (err) {
      this.observer?.failed(err);
      throw new LegacyDatabaseError(`legacy database: ${what}: ${(err as Error).message}`, err);
    }
    this.observer?.ok();
    return result;
  }

  /** A statement for the other legacy-table writers (values bound, never interpolated). */
  async execute(what: string, statement: string, params: unknown[] = []): Promise<Row[]> {
    return this.run(what, () => this.conn.query(statement, params));
  }

  /** Runs `fn` in one legacy transaction; `q` runs a statement (values bound) on its connection. */
  async transaction<T>(what: string, fn: (q: LegacyQuery) => Promise<T>): Promise<T> {
    return this.run(what, () => this.conn.transaction(fn));
  }

  /** The names of the tables whose name is LIKE `pattern` (e.g. `field\\_data\\_%`). */
  async tables(pattern: string): Promise<string[]> {
    const schema = this.dialect === 'postgres' ? 'current_schema()' : 'DATABASE()';
    const rows = await this.execute('list tables', `SELECT table_name AS t FROM information_schema.tables WHERE table_schema = ${schema} AND table_name LIKE ?`, [pattern]);
    return rows.map((r) => String(r.t));
  }

  /** The Field API's tables (field_data_* and field_revision_*). */
  async fieldTables(): Promise<string[]> {
    const names = [...(await this.tables('field\\_data\\_%')), ...(await this.tables('field\\_revision\\_%'))];
    return names.filter((t) => /^field_(data|revision)_[a-z0-9_]+$/.test(t));
  }

  async ping(): Promise<void> {
    await this.execute('ping', 'SELECT 1');
  }

  /** A variable as variable_get() reads it (PHP-unserialized), or undefined when absent. */
  async variable(name: string): Promise<unknown> {
    const rows = await this.execute(`read variable ${name}`, 'SELECT value FROM variable WHERE name = ?', [name]);
    return rows.length === 0 ? undefined : phpUnserialize(String(rows[0].value));
  }

  /**
   * db_next_id(MAX(users.uid)) as user_save() calls it. MySQL: one row into `sequences`, its insert id is the
   * new uid; when the users table is already past the sequence, the sequence is moved forward first.
   * PostgreSQL: nextval of `sequences_value_seq`, moved past MAX(uid) under Drupal's advisory lock (1000).
   */
  async nextUid(): Promise<number> {
    return this.transaction('allocate a uid', async (q) => {
      const existing = Number((await q('SELECT COALESCE(MAX(uid), 0) AS m FROM users'))[0].m);
      if (this.dialect === 'postgres') return nextPostgresId(q, existing);
      const insert = async (statement: string, params: unknown[] = []) => Number((await q(statement, params))[0].insertId);
      let id = await insert('INSERT INTO sequences () VALUES ()');
      if (existing >= id) {
        await insert('INSERT INTO sequences (value) VALUES (?)', [existing]);
        id = await insert('INSERT INTO sequences () VALUES ()');
      }
      await q('DELETE FROM sequences WHERE value < ?', [id]);
      return id;
    });
  }

  /**
   * Writes a session row. `ssid` carries the same hash for sites served over HTTPS (Drupal looks HTTPS
   * sessions up by `ssid`). An existing row keeps the data Drupal stored in it unless Gatehouse has some.
   */
  async saveSession(record: SessionRecord, secure: boolean): Promise<void> {
    const ssid = secure ? record.sid : '';
    const upsert = this.dialect === 'postgres'
      ? `ON CONFLICT (sid, ssid) DO UPDATE SET uid = EXCLUDED.uid, hostname = EXCLUDED.hostname, timestamp = EXCLUDED.timestamp,
           session = CASE WHEN length(EXCLUDED.session) = 0 THEN sessions.session ELSE EXCLUDED.session END`
      : `ON DUPLICATE KEY UPDATE uid = VALUES(uid), hostname = VALUES(hostname), timestamp = VALUES(timestamp),
           session = IF(VALUES(session) = '', session, VALUES(session))`;
    await this.execute('write session', `INSERT INTO sessions (sid, ssid, uid, hostname, timestamp, cache, session) VALUES (?, ?, ?, ?, ?, ?, ?) ${upsert}`,
      [record.sid, ssid, record.uid, record.hostname, record.timestamp, record.cache, Buffer.from(record.session)]);
  }

  async deleteSession(sid: string): Promise<void> {
    await this.execute('delete session', 'DELETE FROM sessions WHERE sid = ? OR ssid = ?', [sid, sid]);
  }

  async deleteSessionsOfUser(uid: number): Promise<void> {
    await this.execute('delete sessions of a user', 'DELETE FROM sessions WHERE uid = ?', [uid]);
  }

  /**
   * Inserts a users row under its uid unless that uid exists already (a retried insert lands once; an existing
   * legacy account is never overwritten). Returns false when the uid was there. A name taken by another uid
   * fails with ER_DUP_ENTRY.
   */
  async insertUser(account: Account): Promise<boolean> {
    const columns = ACCOUNT_COLUMNS as readonly string[];
    const values = columns.map((c) => blob(c, (account as unknown as Record<string, unknown>)[c] ?? null));
    try {
      await this.execute(`write user ${account.uid}`, `INSERT INTO users (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`, values);
      return true;
    } catch (err) {
      // Only a clash on the uid itself is settled here; a clash on the name is the caller's to see.
      if (!(err instanceof LegacyDatabaseError && err.permanent && /for key '(users\.)?PRIMARY'|"users_pkey"/.test(err.message))) throw err;
      const same = await this.execute('compare user', 'SELECT name FROM users WHERE uid = ?', [account.uid]);
      return same.length > 0 && String(same[0].name) === account.name;
    }
  }

  async updateUser(uid: number, patch: Partial<Account>): Promise<void> {
    const entries = Object.entries(patch).filter(([k, v]) => k !== 'uid' && v !== undefined && (ACCOUNT_COLUMNS as readonly string[]).includes(k));
    if (entries.length === 0) return;
    await this.execute(`update user ${uid}`, `UPDATE users SET ${entries.map(([k]) => `${k} = ?`).join(', ')} WHERE uid = ?`, [...entries.map(([k, v]) => blob(k, v)), uid]);
  }

  /** user_delete's rows: the account, its roles and its sessions. */
  async deleteUser(uid: number): Promise<void> {
    await this.transaction(`delete user ${uid}`, async (q) => {
      await q('DELETE FROM users_roles WHERE uid = ?', [uid]);
      await q('DELETE FROM sessions WHERE uid = ?', [uid]);
      await q('DELETE FROM users WHERE uid = ?', [uid]);
    });
  }

  async setRoles(uid: number, rids: number[]): Promise<void> {
    await this.transaction(`set roles of user ${uid}`, async (q) => {
      await q('DELETE FROM users_roles WHERE uid = ?', [uid]);
      const unique = [...new Set(rids)];
      if (unique.length > 0) await q(`INSERT INTO users_roles (uid, rid) VALUES ${unique.map(() => '(?, ?)').join(', ')}`, unique.flatMap((rid) => [uid, rid]));
    });
  }

  async users(): Promise<LegacyUser[]> {
    const rows = await this.execute('list users', 'SELECT uid, name, mail, status FROM users WHERE uid > 0 ORDER BY uid');
    return rows.map((r) => ({ uid: Number(r.uid), name: String(r.name), mail: String(r.mail), status: Number(r.status) }));
  }

  async roles(): Promise<Array<{ rid: number; name: string }>> {
    const rows = await this.execute('list roles', 'SELECT rid, name FROM role ORDER BY rid');
    return rows.map((r) => ({ rid: Number(r.rid), name: String(r.name) }));
  }

  async close(): Promise<void> {
    await this.conn.close();
  }
}

/** users.data is a blob (bytea on PostgreSQL): its PHP-serialized text goes as bytes. */
function blob(column: string, value: unknown): unknown {
  return column === 'data' && typeof value === 'string' ? Buffer.from(value) : value;
}

/** DatabaseConnection_pgsql::nextId(). */
async function nextPostgresId(q: LegacyQuery, existing: number): Promise<number> {
  const next = async () => Number((await q("SELECT nextval('sequences_value_seq') AS id"))[0].id);
  let id = await next();
  if (id > existing) return id;
  await q('SELECT pg_advisory_lock(1000)');
  try {
    id = await next();
    if (id > existing) return id;
    await q(`ALTER SEQUENCE sequences_value_seq RESTART WITH ${Math.floor(existing) + 1}`);
    return await next();
  } finally {
    await q('SELECT pg_advisory_unlock(1000)');
  }
}
