import type { Command } from 'commander';
import { clearFlood, type FloodTarget, listFlood } from '../../storage/operator-queries.js';
import { output, withGatehouse } from './user.js';

const time = (t: number) => new Date(t * 1000).toISOString().replace('.000Z', 'Z');

/** Failed-login counters (Drupal's flood table): who is locked out, and lifting a lock. */
export function registerFloodCommands(program: Command): void {
  const flood = program.command('flood').description('failed-login counters: list who is held back, lift a lock');
  flood.command('list').description('live flood events by event and identifier (user events: uid-ip, or uid; ip events: the ip)')
    .option('--json', 'print JSON')
    .action((o: { json?: boolean }) => withGatehouse(async (_x, g) => {
      const rows = await listFlood(g.database.db, g.core.clock.now());
      output(o.json, rows, () => rows.map((r) => `${r.event}\t${r.identifier}\t${r.count} attempt(s)\tlast ${time(r.last)}\tuntil ${time(r.expires)}`).join('\n') || '(no flood events)');
    }));
  flood.command('clear').description('lift a lock: an account\'s failed logins (from every ip), an ip\'s, or all')
    .option('--user <user>', 'account name or uid')
    .option('--ip <ip>', 'client address')
    .option('--all', 'every flood event')
    .option('--json', 'print JSON')
    .action((o: { user?: string; ip?: string; all?: boolean; json?: boolean }) => withGatehouse(async (admin, g) => {
      if ([o.user, o.ip, o.all].filter((x) => x !== undefined).length !== 1) throw new Error('give one of --user, --ip or --all');
      const target: FloodTarget = o.user !== undefined ? { uid: (await admin.find(o.user)).uid } : o.ip !== undefined ? { ip: o.ip } : { all: true };
      const removed = await clearFlood(g.database.db, target);
      await admin.event('flood_unblock', null, `${o.user !== undefined ? `account ${o.user}` : o.ip !== undefined ? `ip ${o.ip}` : 'all'}: ${removed} event(s)`);
      output(o.json, { ...target, removed }, () => `${removed} flood event(s) removed`);
    }));
}
