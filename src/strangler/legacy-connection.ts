import mysql from 'mysql2/promise';
import pg from 'pg';

export type Row = Record<string, unknown>;

/** A statement on one connection of the legacy database: `?` placeholders, values bound. */
export type LegacyQuery = (statement: string, params?: unknown[]) => Promise<Row[]>;

/**
 * The legacy site's database, MySQL/MariaDB (`mysql://`, `mariadb://`; mysql2) or PostgreSQL (`postgres://`;
 * pg), behind one small interface: statements use `?` placeholders and unquoted Drupal table and column
 * names (valid in both); blob/bytea columns come back as text (Drupal stores UTF-8 text in them) and are
 * written as Buffers. What differs between the two is asked of `dialect`.
 */
export interface LegacyConnection {
  readonly dialect: 'mysql' | 'postgres';
  query: LegacyQuery;
  /** Runs `fn` on one connection inside a transaction (rolled back when it throws). */
  transaction<T>(fn: (q: LegacyQuery) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export function openLegacyConnection(url: string, timeoutMs: number): LegacyConnection {
  if (/^(mysql|mariadb):\/\//.test(url)) return openMysql(url.replace(/^mariadb:/, 'mysql:'), timeoutMs);
  if (/^postgres(ql)?:\/\//.test(url)) return openPostgres(url, timeoutMs);
  throw new Error(`the legacy database URL must start with mysql://, mariadb:// or postgres://, got "${url.replace(/\/\/[^@/]*@/, '//…@')}"`);
}

function textify(rows: Row[]): Row[] {
  for (const row of rows) for (const [k, v] of Object.entries(row)) if (Buffer.isBuffer(v)) row[k] = v.toString('utf8');
  return rows;
}

/** BEGIN … COMMIT on one connection (both dialects spell it so), ROLLBACK when `fn` throws; the connection goes back. */
async function inTransaction<T>(q: LegacyQuery, release: () => void, fn: (q: LegacyQuery) => Promise<T>): Promise<T> {
  try {
    await q('BEGIN');
    const result = await fn(q);
    await q('COMMIT');
    return result;
  } catch (err) {
    await q('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    release();
  }
}

function openMysql(uri: string, timeoutMs: number): LegacyConnection {
  const pool = mysql.createPool({ uri, connectTimeout: timeoutMs, connectionLimit: 5, charset: 'utf8mb4_general_ci', supportBigNumbers: true });
  // An idle connection dropped by the server must not end the process; the next query reconnects.
  pool.on('connection', (conn) => { conn.on('error', () => undefined); });
  const on = (conn: mysql.Pool | mysql.PoolConnection): LegacyQuery => async (statement, params = []) => {
    const [result] = await conn.query(statement, params);
    // An INSERT answers with its header: its insert id is what db_next_id reads.
    return Array.isArray(result) ? textify(result as Row[]) : [{ insertId: (result as mysql.ResultSetHeader).insertId }];
  };
  return {
    dialect: 'mysql',
    query: on(pool),
    async transaction(fn) {
      const conn = await pool.getConnection();
      return inTransaction(on(conn), () => conn.release(), fn);
    },
    close: () => pool.end(),
  };
}

function openPostgres(connectionString: string, timeoutMs: number): LegacyConnection {
  const pool = new pg.Pool({ connectionString, connectionTimeoutMillis: timeoutMs, max: 5 });
  pool.on('error', () => undefined);
  const numbered = (statement: string) => { let n = 0; return statement.replace(/\?/g, () => `$${++n}`); };
  const on = (client: pg.Pool | pg.PoolClient): LegacyQuery => async (statement, params = []) => textify((await client.query(numbered(statement), params)).rows as Row[]);
  return {
    dialect: 'postgres',
    query: on(pool),
    async transaction(fn) {
      const client = await pool.connect();
      return inTransaction(on(client), () => client.release(), fn);
    },
    close: () => pool.end(),
  };
}
