/**
 * The Drupal 7 database an import reads: MySQL/MariaDB (`mysql://`, `mariadb://`; mysql2), PostgreSQL
 * (`postgres://`; pg) or SQLite (`sqlite:path`; better-sqlite3, read-only). One small interface over the
 * three: queries are written with `?` placeholders and `{table}` names (Drupal's table prefix applied).
 * Blob columns (users.data, sessions.session, variable.value) arrive as text.
 */
export type Row = Record<string, unknown>;

export interface SourceDb {
  readonly kind: 'mysql' | 'postgres' | 'sqlite';
  /** Runs a read query; `{name}` becomes the prefixed, quoted table name. */
  query(sqlText: string, params?: unknown[]): Promise<Row[]>;
  hasTable(name: string): Promise<boolean>;
  close(): Promise<void>;
}

export class SourceError extends Error {}

/** Opens the source a URL names. */
export async function openSource(url: string, o: { prefix?: string } = {}): Promise<SourceDb> {
  const prefix = o.prefix ?? '';
  if (!/^[A-Za-z0-9_]*$/.test(prefix)) throw new SourceError(`invalid table prefix "${prefix}"`);
  if (/^(mysql|mariadb):\/\//.test(url)) return openMysql(url.replace(/^mariadb:/, 'mysql:'), prefix);
  if (/^postgres(ql)?:\/\//.test(url)) return openPostgres(url, prefix);
  if (/^sqlite:/.test(url)) return openSqlite(url.replace(/^sqlite:(\/\/)?/, ''), prefix);
  throw new SourceError(`--from must start with mysql://, mariadb://, postgres:// or sqlite:, got "${url}"`);
}

/** Blob/bytea columns come back as Buffers: Drupal stores UTF-8 text in them. */
function textify(rows: Row[]): Row[] {
  for (const row of rows) {
    for (const [k, v] of Object.entries(row)) if (Buffer.isBuffer(v)) row[k] = v.toString('utf8');
  }
  return rows;
}

function tables(sqlText: string, prefix: string, quote: string): string {
  return sqlText.replace(/\{(\w+)\}/g, (_m, t: string) => `${quote}${prefix}${t}${quote}`);
}

async function openMysql(url: string, prefix: string): Promise<SourceDb> {
  const mysql = await import('mysql2/promise');
  const conn = await mysql.createConnection({ uri: url, charset: 'utf8mb4', supportBigNumbers: true, bigNumberStrings: false, dateStrings: true });
  const database = new URL(url).pathname.replace(/^\//, '');
  return {
    kind: 'mysql',
    async query(sqlText, params = []) {
      const [rows] = await conn.query(tables(sqlText, prefix, '`'), params);
      return textify(rows as Row[]);
    },
    async hasTable(name) {
      const [rows] = await conn.query('SELECT 1 FROM information_schema.tables WHERE table_schema = ? AND table_name = ?', [database, prefix + name]);
      return (rows as Row[]).length > 0;
    },
    close: () => conn.end(),
  };
}

async function openPostgres(url: string, prefix: string): Promise<SourceDb> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const numbered = (sqlText: string) => { let n = 0; return sqlText.replace(/\?/g, () => `$${++n}`); };
  return {
    kind: 'postgres',
    async query(sqlText, params = []) {
      const result = await client.query(numbered(tables(sqlText, prefix, '"')), params);
      return textify(result.rows as Row[]);
    },
    async hasTable(name) {
      const result = await client.query('SELECT to_regclass($1) AS t', [`"${prefix}${name}"`]);
      return result.rows[0]?.t !== null;
    },
    close: () => client.end(),
  };
}

async function openSqlite(file: string, prefix: string): Promise<SourceDb> {
  const { default: SQLite } = await import('better-sqlite3');
  const db = new SQLite(file, { readonly: true, fileMustExist: true });
  return {
    kind: 'sqlite',
    async query(sqlText, params = []) {
      return textify(db.prepare(tables(sqlText, prefix, '"')).all(...params) as Row[]);
    },
    async hasTable(name) {
      return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(prefix + name) !== undefined;
    },
    close: async () => { db.close(); },
  };
}
