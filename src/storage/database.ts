import fs from 'node:fs';
import path from 'node:path';
import { Kysely, SqliteDialect } from 'kysely';
import { SchemaScopedPostgresDialect } from './postgres-schema-dialect.js';
import type { Database } from './schema.js';
import { withStatementCache } from './sqlite-statement-cache.js';

export type DialectName = 'sqlite' | 'postgres';

export interface DatabaseHandle {
  readonly db: Kysely<Database>;
  readonly dialect: DialectName;
  /** The PostgreSQL schema every connection works in (its search_path); undefined = the server's default. */
  readonly schema?: string;
  /** SQLite: a value that changes whenever the data may have changed (see CachedSqlite); PostgreSQL has none. */
  readonly changeVersion?: () => string;
  /** PostgreSQL: a query run as a named prepared statement on the pool (for the queries every request makes). */
  readonly prepared?: <R>(name: string, text: string, values: unknown[]) => Promise<R[]>;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** Connections in the PostgreSQL pool (default 10). */
  poolSize?: number;
  /** PostgreSQL schema to work in: set as each connection's search_path when it opens. */
  schema?: string;
  /** Called when an idle pooled connection fails (the server restarted, the network dropped). */
  onPoolError?: (err: Error) => void;
}

/** Where a database URL points: `sqlite:path` (or a bare path, or nothing) or `postgres://…`. */
export function parseDatabaseUrl(url: string): { dialect: DialectName; target: string } {
  if (/^postgres(ql)?:\/\//.test(url)) return { dialect: 'postgres', target: url };
  const file = url.replace(/^sqlite:(\/\/)?/, '');
  return { dialect: 'sqlite', target: file === '' ? ':memory:' : file };
}

/** A schema name safe to quote into SQL (letters, digits, underscores). */
export function checkSchemaName(schema: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(schema)) throw new Error(`invalid PostgreSQL schema name "${schema}"`);
  return schema;
}

/** Opens the database a URL names. The driver packages are loaded only for the dialect in use. */
export async function openDatabase(url: string, opts: OpenOptions = {}): Promise<DatabaseHandle> {
  const { dialect, target } = parseDatabaseUrl(url);
  if (dialect === 'sqlite') {
    const { default: SQLite } = await import('better-sqlite3');
    if (target !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(target)), { recursive: true });
    const sqlite = new SQLite(target);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('foreign_keys = ON');
    const database = withStatementCache(sqlite);
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
    let closedFile: Promise<void> | null = null;
    return { db, dialect, changeVersion: database.changeVersion, close: () => (closedFile ??= db.destroy()) };
  }
  const { default: pg } = await import('pg');
  // BIGINT and NUMERIC come back as strings by default; our integer columns are int4 and arrive as numbers.
  // The search_path travels in the startup packet, so no query can run on a connection before it is set.
  const schema = opts.schema === undefined ? undefined : checkSchemaName(opts.schema);
  const pool = new pg.Pool({ connectionString: target, max: opts.poolSize ?? 10, ...(schema ? { options: `-c search_path=${schema}` } : {}) });
  // An idle client that loses its connection emits 'error' on the pool; unhandled, it would end the process.
  pool.on('error', (err) => { (opts.onPoolError ?? (() => undefined))(err); });
  const db = new Kysely<Database>({ dialect: new SchemaScopedPostgresDialect({ pool }) });
  let closed: Promise<void> | null = null;
  const prepared = async <R>(name: string, text: string, values: unknown[]): Promise<R[]> => (await pool.query({ name, text, values })).rows as R[];
  return { db, dialect, schema, prepared, close: () => (closed ??= db.destroy()) };
}
