import type { Database as BetterSqlite, Statement } from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/** better-sqlite3 behind Kysely, with prepared statements reused and a way to tell that the data changed. */
export interface CachedSqlite extends SqliteDatabase {
  /**
   * Changes whenever the database may have changed: another connection committed (PRAGMA data_version, seen
   * from the next turn of the event loop) or this one ran anything but a read (a write, BEGIN, COMMIT,
   * ROLLBACK; seen at once).
   */
  changeVersion(): string;
}

/**
 * better-sqlite3 behind Kysely with prepared statements kept per SQL text: Kysely prepares every query
 * anew, and preparing costs more than running the small indexed queries this server makes. Statements are
 * reused safely because better-sqlite3 runs each to completion synchronously.
 */
export function withStatementCache(db: BetterSqlite, max = 500): CachedSqlite {
  const cache = new Map<string, SqliteStatement>();
  const dataVersion = db.prepare('PRAGMA data_version').pluck();
  let ownWrites = 0;
  // Asked once per turn of the event loop (it costs as much as a small query, and a request asks several
  // times): another process's commit is seen from the next turn on, as if this turn had run a moment earlier.
  let known: number | undefined;
  const forget = () => { known = undefined; };
  const readDataVersion = (): number => {
    if (known === undefined) {
      known = dataVersion.get() as number;
      setImmediate(forget);
    }
    return known;
  };
  const counted = (stmt: Statement): SqliteStatement => ({
    reader: stmt.reader,
    all: (parameters) => { try { return stmt.all(parameters as unknown[]); } finally { ownWrites++; } },
    run: (parameters) => { try { return stmt.run(parameters as unknown[]); } finally { ownWrites++; } },
    iterate: (parameters) => { ownWrites++; return stmt.iterate(parameters as unknown[]); },
  });
  return {
    close: () => { cache.clear(); db.close(); },
    prepare: (sql: string) => {
      let stmt = cache.get(sql);
      if (stmt === undefined) {
        const prepared = db.prepare(sql);
        // A plain read returns rows and writes nothing. Everything else is counted: writes (INSERT … RETURNING
        // returns rows too) and BEGIN/COMMIT/ROLLBACK (which SQLite calls read-only, yet a rollback undoes writes).
        const read = prepared.reader && prepared.readonly;
        stmt = read ? (prepared as unknown as SqliteStatement) : counted(prepared);
        if (cache.size >= max) cache.delete(cache.keys().next().value as string);
        cache.set(sql, stmt);
      }
      return stmt;
    },
    changeVersion: () => `${readDataVersion()}:${ownWrites}`,
  };
}
