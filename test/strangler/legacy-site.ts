import path from 'node:path';
import { execFileSync } from 'node:child_process';
import mysql from 'mysql2/promise';
import { SHARED_DIR } from '../helpers/shared-dir.js';

export const FIXTURE = path.join(SHARED_DIR, 'fixtures/drupal7-site-b.sql.gz');
/** Site B's settings.php hash salt and `drupal_private_key` variable (from drupal7-site-b.md). */
export const SITE_B_HASH_SALT = 'HCcyzSmYNZjsQheB7Hu2jjUJCgbkz2OqCgl3M9x4mik';
export const SITE_B_PRIVATE_KEY = 'vHIDsZwtVMS4aHJDZLa7fAmVTmW6uhGY8x7EY66hyd4';
/** Plain-HTTP session cookie name of site B (`$cookie_domain = '.example.test'`). */
export const SITE_B_COOKIE = 'SESS574595f559df59f0217e4bc3cf2c3ce9';
export const SITE_B_COOKIE_DOMAIN = '.example.test';

export interface LegacySite {
  name: string;
  url: string;
  db: mysql.Pool;
  drop(): Promise<void>;
}

/** Site B's dump loaded into a MariaDB database of this test's own (dropped by `drop()`). */
export async function loadLegacySite(tag: string): Promise<LegacySite> {
  const name = `gh_legacy_${tag}_${process.pid}`;
  const admin = await mysql.createConnection({ host: '127.0.0.1', port: 3306, user: 'root' });
  await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
  await admin.query(`CREATE DATABASE \`${name}\``);
  await admin.end();
  execFileSync('bash', ['-c', `gunzip -c ${FIXTURE} | mariadb -uroot -h127.0.0.1 ${name}`]);
  const url = `mysql://root@127.0.0.1:3306/${name}`;
  const db = mysql.createPool({ uri: url, connectionLimit: 4 });
  return {
    name, url, db,
    drop: async () => {
      await db.end();
      const c = await mysql.createConnection({ host: '127.0.0.1', port: 3306, user: 'root' });
      await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await c.end();
    },
  };
}

export async function rows(site: LegacySite, statement: string, params: unknown[] = []): Promise<any[]> {
  const [result] = await site.db.query(statement, params);
  return result as any[];
}
