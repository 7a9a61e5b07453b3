/**
 * Site B (../shared/fixtures/drupal7-site-b.md) as Gatehouse serves it after the Drupal 7 import: the dump is
 * loaded once per process into a MariaDB database of its own (dropped when the process exits), each server
 * gets a fresh import of it, configured as the site was (settings.php and php.ini facts: base URL, cookie
 * domain, cookie lifetime, idle limit, trusted proxy, hash salt) and runs on a clock that starts at the dump's
 * time, so the live sessions stay live whatever today's date.
 */
import { execFileSync } from 'node:child_process';
import type { Config } from '../../src/config/config.js';
import type { Clock } from '../../src/core/clock.js';
import { ENDPOINTS_VARIABLE, importedEndpoints } from '../../src/import/drupal7/endpoints.js';
import { importDrupal7 } from '../../src/import/drupal7/import-drupal7.js';
import type { ImportReport } from '../../src/import/drupal7/report.js';
import { openSource } from '../../src/import/drupal7/source.js';
import { openImportTarget } from '../../src/import/drupal7/target.js';

export const SITE_B_DUMP = new URL('../../../shared/fixtures/drupal7-site-b.sql.gz', import.meta.url).pathname;
export const SITE_B_HASH_SALT = 'HCcyzSmYNZjsQheB7Hu2jjUJCgbkz2OqCgl3M9x4mik';
/** A moment just after the dump was taken (the live sessions' timestamps are 1795821196–1795821197). */
export const SITE_B_DUMP_TIME = 1795821260;

/** settings.php and php.ini of site B, as Gatehouse configuration. */
export const SITE_B_CONFIG: Partial<Config> = {
  baseUrl: 'https://www.example.test', cookieDomain: '.example.test', cookieLifetime: 5_000_000, sessionMaxIdle: 2_000_000,
  trustedProxies: ['127.0.0.1'],
};

let loaded: string | null = null;

/** Loads the dump into `gh_siteb_<pid>` (once per process); returns its mysql:// URL. */
export function loadSiteBDump(): string {
  if (loaded) return loaded;
  const db = `gh_siteb_${process.pid}`;
  execFileSync('mariadb', ['-uroot', '-h127.0.0.1', '-e', `DROP DATABASE IF EXISTS ${db}; CREATE DATABASE ${db}`]);
  execFileSync('sh', ['-c', `gunzip -c "${SITE_B_DUMP}" | mariadb -uroot -h127.0.0.1 ${db}`]);
  process.once('exit', () => {
    try { execFileSync('mariadb', ['-uroot', '-h127.0.0.1', '-e', `DROP DATABASE IF EXISTS ${db}`]); } catch { /* best effort */ }
  });
  loaded = `mysql://root@127.0.0.1:3306/${db}`;
  return loaded;
}

/** Imports site B into `databaseUrl`; returns the report and the configuration to serve it with. */
export async function importSiteB(databaseUrl: string): Promise<{ report: ImportReport; config: Partial<Config> }> {
  const source = await openSource(loadSiteBDump());
  const target = await openImportTarget(databaseUrl);
  try {
    const report = await importDrupal7({ source, target, options: { hashSalt: SITE_B_HASH_SALT } });
    const row = await target.db.selectFrom('variable').select('value').where('name', '=', ENDPOINTS_VARIABLE).executeTakeFirst();
    const endpoints = importedEndpoints(row ? JSON.parse(row.value) : null);
    return { report, config: { ...SITE_B_CONFIG, ...(endpoints ? { endpoints } : {}) } };
  } finally {
    await source.close();
    await target.close();
  }
}

/** A clock that starts at the dump's time and runs at the wall clock's pace. */
export function siteBClock(): Clock {
  const offset = SITE_B_DUMP_TIME - Math.floor(Date.now() / 1000);
  return { now: () => Math.floor(Date.now() / 1000) + offset };
}
