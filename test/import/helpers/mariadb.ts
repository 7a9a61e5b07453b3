/** A throw-away MariaDB database per test run (127.0.0.1:3306, root): created, filled, dropped. */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import mysql from 'mysql2/promise';

const ROOT = { host: '127.0.0.1', port: 3306, user: 'root' };
const run = promisify(execFile);

export interface ScratchDb {
  name: string;
  /** mysql://… URL for the importer. */
  url: string;
  /** Runs statements (several per call allowed) with `?` parameters. */
  exec(sqlText: string, params?: unknown[]): Promise<void>;
  drop(): Promise<void>;
}

export async function createScratchDb(): Promise<ScratchDb> {
  const name = `gh_import_${randomBytes(6).toString('hex')}`;
  const admin = await mysql.createConnection({ ...ROOT, multipleStatements: true });
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb3 COLLATE utf8mb3_general_ci`);
  await admin.end();
  const conn = await mysql.createConnection({ ...ROOT, database: name, multipleStatements: true, charset: 'utf8mb4' });
  return {
    name,
    url: `mysql://root@127.0.0.1:3306/${name}`,
    exec: async (sqlText, params = []) => { await conn.query(sqlText, params); },
    drop: async () => {
      await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await conn.end();
    },
  };
}

/** Loads a gzipped mysqldump into the database with the `mariadb` client. */
export async function loadDump(db: ScratchDb, gzFile: string): Promise<void> {
  await run('bash', ['-c', `gunzip -c "$0" | mariadb -h127.0.0.1 -P3306 -uroot "$1"`, gzFile, db.name], { maxBuffer: 64 * 1024 * 1024 });
}
