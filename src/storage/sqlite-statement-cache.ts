import type { Database as BetterSqlite, Statement } from 'better-sqlite3';
import type { SqliteDatabase } from 'kysely';

/**
 * better-sqlite3 behind Kysely with prepared statements kept per SQL text: Kysely prepares every query
 * anew, and preparing costs more than running the small indexed queries this server makes. Statements are
 * reused safely because better-sqlite3 runs each to completion synchronously.
 */
export function withStatementCache(db: BetterSqlite, max = 500): SqliteDatabase {
  const cache = new Map<string, Statement>();
  return {
    close: () => { cache.clear(); db.close(); },
    prepare: (sql: string) => {
      let stmt = cache.get(sql);
      if (stmt === undefined) {
        stmt = db.prepare(sql);
        if (cache.size >= max) cache.delete(cache.keys().next().value as string);
        cache.set(sql, stmt);
      }
      return stmt as unknown as ReturnType<SqliteDatabase['prepare']>;
    },
  };
}
