/**
 * `gatehouse backup <file>`: a consistent copy of the embedded SQLite database taken while the server runs
 * (SQLite's online backup API: readers and writers carry on). PostgreSQL is backed up with pg_dump
 * (docs/operations.md).
 */
import fs from 'node:fs';
import type { Command } from 'commander';
import { loadConfig } from '../../config/load-config.js';
import { parseDatabaseUrl } from '../../storage/database.js';

export async function backupSqlite(source: string, destination: string): Promise<{ pages: number }> {
  if (!fs.existsSync(source)) throw new Error(`no database at ${source}`);
  if (fs.existsSync(destination)) throw new Error(`${destination} exists: choose a new file`);
  const { default: SQLite } = await import('better-sqlite3');
  const db = new SQLite(source, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    const r = await db.backup(destination);
    return { pages: r.totalPages };
  } finally {
    db.close();
  }
}

export function registerBackupCommand(program: Command): void {
  program.command('backup <file>')
    .description('copy the SQLite database to <file> while the server runs (PostgreSQL: use pg_dump, see docs/operations.md)')
    .option('--json', 'print JSON')
    .action(async (file: string, o: { json?: boolean }) => {
      const { dialect, target } = parseDatabaseUrl(loadConfig().databaseUrl);
      if (dialect !== 'sqlite' || target === ':memory:') throw new Error('backup copies an SQLite file; for PostgreSQL run: pg_dump -Fc -d "$DATABASE_URL" -f gatehouse.dump');
      const r = await backupSqlite(target, file);
      console.log(o.json ? JSON.stringify({ from: target, to: file, pages: r.pages }) : `backed up ${target} to ${file} (${r.pages} pages)`);
    });
}
