import fs from 'node:fs';
import path from 'node:path';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import type { Database } from './schema.js';

export type DialectName = 'sqlite' | 'postgres';

export interface DatabaseHandle {
  readonly db: Kysely<Database>;
  readonly dialect: DialectName;
  close(): Promise<void>;
}

/** Where a database URL points: `sqlite:path` (or a bare path, or nothing) or `postgres://…`. */
export function parseDatabaseUrl(url: string): { dialect: DialectName; target: string } {
  if (/^postgres(ql)?:\/\//.test(url)) return { dialect: 'postgres', target: url };
  const file = url.replace(/^sqlite:(\/\/)?/, '');
  return { dialect: 'sqlite', target: file === '' ? ':memory:' : file };
}

/** Opens the database a URL names. The driver packages are loaded only for the dialect in use. */
export async function openDatabase(url: string, opts: { poolSize?: number; schema?: string } = {}): Promise<DatabaseHandle> {
  const { dialect, target } = parseDatabaseUrl(url);
  if (dialect === 'sqlite') {
    const { default: SQLite } = await import('better-sqlite3');
    if (target !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(target)), { recursive: true });
    const sqlite = new SQLite(target);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('foreign_keys = ON');
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
    return { db, dialect, close: () => db.destroy() };
  }
  const { default: pg } = await import('pg');
  // BIGINT and NUMERIC come back as strings by default; our integer columns are int4 and arrive as numbers.
  const pool = new pg.Pool({ connectionString: target, max: opts.poolSize ?? 10 });
  if (opts.schema) {
    const schema = opts.schema;
    pool.on('connect', (client) => { void client.query(`SET search_path TO "${schema.replace(/"/g, '')}"`); });
  }
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect, close: () => db.destroy() };
}
