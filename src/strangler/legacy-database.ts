import mysql, { type Pool, type ResultSetHeader, type RowDataPacket } from 'mysql2/promise';
import { ACCOUNT_COLUMNS, type Account, type SessionRecord } from '../core/model.js';
import { phpUnserialize } from '../lib/php-serialize.js';

/** The legacy database could not be reached or refused a statement. */
export class LegacyDatabaseError extends Error {
  constructor(message: string, readonly cause?: unknown) { super(message); }

  /** A write that can never succeed as it is (a duplicate key): retrying would block every later write. */
  get permanent(): boolean { return (this.cause as { code?: string } | undefined)?.code === 'ER_DUP_ENTRY'; }
}

/** A statement on one connection of the legacy database (inside `transaction`). */
export type LegacyQuery = (statement: string, params?: unknown[]) => Promise<Record<string, unknown>[]>;

/** Told how each statement went (LegacyHealth). */
export interface LegacyObserver { ok(): void; failed(err: unknown): void }

/** One user row of the legacy site, as `bridge check` compares it. */
export interface LegacyUser { uid: number; name: string; mail: string; status: number }

/**
 * The legacy Drupal 7 database (MySQL/MariaDB) seen through the few tables Gatehouse shares with it:
 * `sessions`, `users`, `users_roles`, `sequences`, `variable`, `role`. Every write is idempotent so a
 * retried write-back lands the same way twice.
 */
export class LegacyDatabase {
  private constructor(private readonly pool: Pool, private readonly observer: LegacyObserver | undefined) {}

  static open(url: string, timeoutMs: number, observer?: LegacyObserver): LegacyDatabase {
    const uri = url.replace(/^mariadb:/, 'mysql:');
    const pool = mysql.createPool({ uri, connectTimeout: timeoutMs, connectionLimit: 5, charset: 'utf8mb4_general_ci', supportBigNumbers: true });
    // An idle connection dropped by the server must not end the process; the next query reconnects.
    pool.on('connection', (conn) => { conn.on('error', () => undefined); });
    return new LegacyDatabase(pool, observer);
  }

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
  async execute(what: string, statement: string, params: unknown[] = []): Promise<RowDataPacket[]> {
    const [rows] = await this.run(what, () => this.pool.query<RowDataPacket[]>(statement, params));
    return rows;
  }

  /** Runs `fn` in one legacy transaction; `q` runs a statement (values bound) on its connection. */
  async transaction<T>(what: string, fn: (q: LegacyQuery) => Promise<T>): Promise<T> {
    return this.run(what, async () => {
      const conn = await this.pool.getConnection();
      try {
        await conn.beginTransaction();
        const result = await fn(async (statement, params = []) => (await conn.query<RowDataPacket[]>(statement, params))[0]);
        await conn.commit();
        return result;
      } catch (err) {
        await conn.rollback().catch(() => undefined);
        throw err;
      } finally {
        conn.release();
      }
    });
  }

  /** The names of the tables whose name is LIKE `pattern` (e.g. `field\\_data\\_%`). */
  async tables(pattern: string): Promise<string[]> {
    const rows = await this.execute('list tables', 'SELECT table_name AS t FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name LIKE ?', [pattern]);
    return rows.map((r) => String(r.t));
  }

  async ping(): Promise<void> {
    await this.run('ping', () => this.pool.query('SELECT 1'));
  }

  /** A variable as variable_get() reads it (PHP-unserialized), or undefined when absent. */
  async variable(name: string): Promise<unknown> {
    const [rows] = await this.run(`read variable ${name}`, () => this.pool.query<RowDataPacket[]>('SELECT value FROM variable WHERE name = ?', [name]));
    if (rows.length === 0) return undefined;
    const raw = rows[0].value;
    return phpUnserialize(Buffer.isBuffer(raw) ? raw.toString('utf8') : String(raw));
  }

  /**
   * db_next_id(MAX(users.uid)) as user_save() calls it on MySQL: one row into `sequences`, its insert id is
   * the new uid; when the users table is already past the sequence, the sequence is moved forward first.
   */
  async nextUid(): Promise<number> {
    return this.run('allocate a uid', async () => {
      const conn = await this.pool.getConnection();
      try {
        const [max] = await conn.query<RowDataPacket[]>('SELECT COALESCE(MAX(uid), 0) AS m FROM users');
        const existing = Number(max[0].m);
        let [res] = await conn.query<ResultSetHeader>('INSERT INTO sequences () VALUES ()');
        if (existing >= res.insertId) {
          await conn.query('INSERT INTO sequences (value) VALUES (?)', [existing]);
          [res] = await conn.query<ResultSetHeader>('INSERT INTO sequences () VALUES ()');
        }
        await conn.query('DELETE FROM sequences WHERE value < ?', [res.insertId]);
        return res.insertId;
      } finally {
        conn.release();
      }
    });
  }

  /**
   * Writes a session row. `ssid` carries the same hash for sites served over HTTPS (Drupal looks HTTPS
   * sessions up by `ssid`). An existing row keeps the data Drupal stored in it unless Gatehouse has some.
   */
  async saveSession(record: SessionRecord, secure: boolean): Promise<void> {
    const ssid = secure ? record.sid : '';
    await this.run('write session', () => this.pool.query(
      `INSERT INTO sessions (sid, ssid, uid, hostname, timestamp, cache, session) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON DUPLICATE KEY UPDATE uid = VALUES(uid), hostname = VALUES(hostname), timestamp = VALUES(timestamp),
         session = IF(VALUES(session) = '', session, VALUES(session))`,
      [record.sid, ssid, record.uid, record.hostname, record.timestamp, record.cache, record.session],
    ));
  }

  async deleteSession(sid: string): Promise<void> {
    await this.run('delete session', () => this.pool.query('DELETE FROM sessions WHERE sid = ? OR ssid = ?', [sid, sid]));
  }

  async deleteSessionsOfUser(uid: number): Promise<void> {
    await this.run('delete sessions of a user', () => this.pool.query('DELETE FROM sessions WHERE uid = ?', [uid]));
  }

  /**
   * Inserts a users row under its uid unless that uid exists already (a retried insert lands once; an existing
   * legacy account is never overwritten). Returns false when the uid was there. A name taken by another uid
   * fails with ER_DUP_ENTRY.
   */
  async insertUser(account: Account): Promise<boolean> {
    const columns = ACCOUNT_COLUMNS as readonly string[];
    const values = columns.map((c) => (account as unknown as Record<string, unknown>)[c] ?? null);
    try {
      await this.run(`write user ${account.uid}`, () => this.pool.query(`INSERT INTO users (${columns.map((c) => `\`${c}\``).join(', ')}) VALUES (?)`, [values]));
      return true;
    } catch (err) {
      // Only a clash on the uid itself is settled here; a clash on the name is the caller's to see.
      if (!(err instanceof LegacyDatabaseError && err.permanent && /for key '(users\.)?PRIMARY'/.test(err.message))) throw err;
      const [same] = await this.run('compare user', () => this.pool.query<RowDataPacket[]>('SELECT name FROM users WHERE uid = ?', [account.uid]));
      return same.length > 0 && String(same[0].name) === account.name;
    }
  }

  async updateUser(uid: number, patch: Partial<Account>): Promise<void> {
    const entries = Object.entries(patch).filter(([k, v]) => k !== 'uid' && v !== undefined && (ACCOUNT_COLUMNS as readonly string[]).includes(k));
    if (entries.length === 0) return;
    await this.run(`update user ${uid}`, () => this.pool.query(
      `UPDATE users SET ${entries.map(([k]) => `\`${k}\` = ?`).join(', ')} WHERE uid = ?`, [...entries.map(([, v]) => v), uid],
    ));
  }

  /** user_delete's rows: the account, its roles and its sessions. */
  async deleteUser(uid: number): Promise<void> {
    await this.run(`delete user ${uid}`, async () => {
      await this.pool.query('DELETE FROM users_roles WHERE uid = ?', [uid]);
      await this.pool.query('DELETE FROM sessions WHERE uid = ?', [uid]);
      await this.pool.query('DELETE FROM users WHERE uid = ?', [uid]);
    });
  }

  async setRoles(uid: number, rids: number[]): Promise<void> {
    await this.transaction(`set roles of user ${uid}`, async (q) => {
      await q('DELETE FROM users_roles WHERE uid = ?', [uid]);
      const unique = [...new Set(rids)];
      if (unique.length > 0) await q('INSERT INTO users_roles (uid, rid) VALUES ?', [unique.map((rid) => [uid, rid])]);
    });
  }

  async users(): Promise<LegacyUser[]> {
    const [rows] = await this.run('list users', () => this.pool.query<RowDataPacket[]>('SELECT uid, name, mail, status FROM users WHERE uid > 0 ORDER BY uid'));
    return rows.map((r) => ({ uid: Number(r.uid), name: String(r.name), mail: String(r.mail), status: Number(r.status) }));
  }

  async roles(): Promise<Array<{ rid: number; name: string }>> {
    const [rows] = await this.run('list roles', () => this.pool.query<RowDataPacket[]>('SELECT rid, name FROM role ORDER BY rid'));
    return rows.map((r) => ({ rid: Number(r.rid), name: String(r.name) }));
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
