import type { Command } from 'commander';
import { loadConfig } from '../../config/load-config.js';
import { AccountAdmin } from '../../core/accounts/account-admin.js';
import { openGatehouse } from '../../gatehouse.js';

async function withAdmin<T>(fn: (admin: AccountAdmin) => Promise<T>): Promise<T> {
  const gatehouse = await openGatehouse(loadConfig());
  try { return await fn(new AccountAdmin(gatehouse.core)); } finally { await gatehouse.close(); }
}

export function registerUserCommands(program: Command): void {
  const user = program.command('user').description('manage accounts');
  user.command('add <name>')
    .description('create an account')
    .requiredOption('--mail <mail>', 'e-mail address')
    .requiredOption('--password <password>', 'password')
    .option('--role <role...>', 'role names (or rids) to grant, e.g. administrator')
    .option('--blocked', 'create the account blocked')
    .option('--timezone <tz>', 'the account\'s time zone, e.g. UTC')
    .option('--accessed', 'mark the account as used once (as Drupal\'s installer leaves uid 1)')
    .action(async (name: string, o: { mail: string; password: string; role?: string[]; blocked?: boolean; timezone?: string; accessed?: boolean }) => {
      const account = await withAdmin((a) => a.add({ name, mail: o.mail, password: o.password, roles: o.role, status: o.blocked ? 0 : 1, timezone: o.timezone, accessed: o.accessed }));
      console.log(`created user ${account.name} (uid ${account.uid})`);
    });
  user.command('block <user>').description('block an account (name or uid); its sessions end')
    .action(async (u: string) => { const a = await withAdmin((x) => x.setStatus(u, 0)); console.log(`blocked ${a.name} (uid ${a.uid})`); });
  user.command('unblock <user>').description('unblock an account (name or uid)')
    .action(async (u: string) => { const a = await withAdmin((x) => x.setStatus(u, 1)); console.log(`unblocked ${a.name} (uid ${a.uid})`); });
  user.command('set-password <user> <password>').description('set an account\'s password (name or uid)')
    .action(async (u: string, p: string) => { const a = await withAdmin((x) => x.setPassword(u, p)); console.log(`password set for ${a.name} (uid ${a.uid})`); });
  user.command('list').description('list accounts').option('--limit <n>', 'how many', '100').option('--json', 'print JSON')
    .action(async (o: { limit: string; json?: boolean }) => {
      const rows = await withAdmin((x) => x.list(Number(o.limit)));
      if (o.json) { console.log(JSON.stringify(rows, null, 2)); return; }
      for (const r of rows) if (Number(r.uid) > 0) console.log(`${String(r.uid).padStart(6)}  ${r.status === 1 || r.status === '1' ? 'active ' : 'blocked'}  ${r.name}  <${r.mail}>`);
    });
}
