import type { Command } from 'commander';
import { loadConfig } from '../../config/load-config.js';
import { importDrupal7 } from '../../import/drupal7/import-drupal7.js';
import { createProgress } from '../../import/drupal7/progress.js';
import { openSource } from '../../import/drupal7/source.js';
import type { ImportOptions } from '../../import/drupal7/step.js';
import { formatSummary } from '../../import/drupal7/summary.js';
import { openImportTarget } from '../../import/drupal7/target.js';

interface Drupal7Flags {
  from: string;
  prefix: string;
  hashSalt?: string;
  dryRun?: boolean;
  sessionIds: ImportOptions['sessionIds'];
  batchSize: string;
  to?: string;
  baseUrl?: string;
  cookieDomain?: string;
}

/** `gatehouse import drupal7 --from …`: users, roles, password hashes, sessions and settings of a Drupal 7 site. */
export function registerImportCommands(program: Command): void {
  const imp = program.command('import').description('bring accounts and sessions over from another system');
  imp.command('drupal7')
    .description('import a Drupal 7 site: users, roles, permissions, password hashes, live sessions, site settings (all or nothing; re-runs update)')
    .requiredOption('--from <url>', 'the Drupal 7 database: mysql://user:pass@host/db, postgres://…, or sqlite:path')
    .option('--prefix <prefix>', "Drupal's table prefix ($databases['default']['default']['prefix'])", '')
    .option('--hash-salt <salt>', "settings.php's $drupal_hash_salt: keeps cached CSRF tokens and one-time links valid")
    .option('--session-ids <mode>', 'how the site stores sessions.sid: auto (from hashed_session_ids_supported), hashed or plain', 'auto')
    .option('--batch-size <n>', 'source rows per query', '1000')
    .option('--to <databaseUrl>', "Gatehouse's database (default: DATABASE_URL / configuration)")
    .option('--base-url <url>', "the old site's $base_url, to print the session cookie name (default: GATEHOUSE_BASE_URL)")
    .option('--cookie-domain <domain>', "the old site's $cookie_domain, to print the session cookie name (default: GATEHOUSE_COOKIE_DOMAIN)")
    .option('--dry-run', 'run the whole import and report, then roll it back')
    .action(async (flags: Drupal7Flags) => {
      if (!['auto', 'hashed', 'plain'].includes(flags.sessionIds)) throw new Error('--session-ids must be auto, hashed or plain');
      const batchSize = Number(flags.batchSize);
      if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 5000) throw new Error('--batch-size must be a whole number from 1 to 5000');
      const config = loadConfig();
      const source = await openSource(flags.from, { prefix: flags.prefix });
      try {
        const target = await openImportTarget(flags.to ?? config.databaseUrl);
        try {
          const report = await importDrupal7({
            source, target, progress: createProgress(),
            options: { hashSalt: flags.hashSalt ?? null, dryRun: flags.dryRun === true, sessionIds: flags.sessionIds, batchSize },
          });
          console.log(formatSummary(report, { baseUrl: flags.baseUrl ?? config.baseUrl, cookieDomain: flags.cookieDomain ?? config.cookieDomain }));
        } finally {
          await target.close();
        }
      } finally {
        await source.close();
      }
    });
}
