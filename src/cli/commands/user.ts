import type { Command } from 'commander';
import { loadConfig } from '../../config/load-config.js';
import { AccountAdmin } from '../../core/accounts/account-admin.js';
import { openGatehouse, type Gatehouse } from '../../gatehouse.js';
import { searchAccounts } from '../../storage/operator-queries.js';
import { CANCEL_METHODS, type CancelMethod } from '../../core/accounts/account-removal.js';
import { SiteSettings } from '../../core/settings/site-settings.js';
import { parsePeopleCursor, PEOPLE_SORTS, peopleCursor, peopleSortOf } from '../../core/console/console-queries.js';
import { createConsoleQueries } from '../../storage/console-queries.js';
import { siteCollationOf } from '../../storage/site-collation.js';
import { readPassword } from '../password-input.js';

/** Opens the site for one command and closes it after. */
export async function withGatehouse<T>(fn: (admin: AccountAdmin, g: Gatehouse) => Promise<T>): Promise<T> {
  const gatehouse = await openGatehouse(loadConfig());
  try { return await fn(new AccountAdmin(gatehouse.core), gatehouse); } finally { await gatehouse.close(); }
}

/** Prints `data` as JSON with --json, else the text line(s). */
export function output(json: boolean | undefined, data: unknown, text: () => string): void {
  console.log(json ? JSON.stringify(data, null, 2) : text());
}

const PASSWORD_STDIN = ['--password-stdin', 'read the password from standard input (also when stdin is not a terminal)'] as const;
const PASSWORD_ARG = ['--password <password>', 'the password on the command line (visible in shell history and ps: for scripts)'] as const;
const status = (s: unknown) => (Number(s) === 1 ? 'active ' : 'blocked');

export function registerUserCommands(program: Command): void {
  const user = program.command('user').description('manage accounts');
  user.command('add <name>')
    .description('create an account (the password from a prompt, --password-stdin, or --password)')
    .requiredOption('--mail <mail>', 'e-mail address')
    .option(...PASSWORD_ARG).option(...PASSWORD_STDIN)
    .option('--role <role...>', 'role names (or rids) to grant, e.g. administrator')
    .option('--blocked', 'create the account blocked')
    .option('--timezone <tz>', 'the account\'s time zone, e.g. UTC')
    .option('--accessed', 'mark the account as used once (as Drupal\'s installer leaves uid 1)')
    .option('--json', 'print JSON')
    .action(async (name: string, o: { mail: string; password?: string; passwordStdin?: boolean; role?: string[]; blocked?: boolean; timezone?: string; accessed?: boolean; json?: boolean }) => {
      const password = await readPassword(o);
      const a = await withGatehouse((x) => x.add({ name, mail: o.mail, password, roles: o.role, status: o.blocked ? 0 : 1, timezone: o.timezone, accessed: o.accessed }));
      output(o.json, { uid: a.uid, name: a.name, mail: a.mail, status: a.status }, () => `created user ${a.name} (uid ${a.uid})`);
    });
  user.command('block <user>').description('block an account (name or uid); its sessions end').option('--json', 'print JSON')
    .action(async (u: string, o: { json?: boolean }) => { const a = await withGatehouse((x) => x.setStatus(u, 0)); output(o.json, { uid: a.uid, name: a.name, status: 0 }, () => `blocked ${a.name} (uid ${a.uid})`); });
  user.command('unblock <user>').description('unblock an account (name or uid)').option('--json', 'print JSON')
    .action(async (u: string, o: { json?: boolean }) => { const a = await withGatehouse((x) => x.setStatus(u, 1)); output(o.json, { uid: a.uid, name: a.name, status: 1 }, () => `unblocked ${a.name} (uid ${a.uid})`); });
  user.command('set-password <user> [password]')
    .description('set an account\'s password (name or uid) and lift its failed-login lock; the password from a prompt, stdin, or the argument (for scripts)')
    .option(...PASSWORD_STDIN).option('--json', 'print JSON')
    .action(async (u: string, password: string | undefined, o: { passwordStdin?: boolean; json?: boolean }) => {
      const pass = await readPassword({ password, passwordStdin: o.passwordStdin });
      const a = await withGatehouse((x) => x.setPassword(u, pass));
      output(o.json, { uid: a.uid, name: a.name, floodCleared: a.floodCleared }, () => `password set for ${a.name} (uid ${a.uid})${a.floodCleared > 0 ? `; failed-login lock lifted (${a.floodCleared} event(s))` : ''}`);
    });
  user.command('list').description('list accounts').option('--limit <n>', 'how many', '100').option('--json', 'print JSON')
    .action(async (o: { limit: string; json?: boolean }) => {
      const rows = (await withGatehouse((x) => x.list(Number(o.limit)))).filter((r) => Number(r.uid) > 0);
      output(o.json, rows, () => rows.map((r) => `${String(r.uid).padStart(6)}  ${status(r.status)}  ${r.name}  <${r.mail}>`).join('\n'));
    });
  user.command('show <user>').description('an account (name or uid) with its roles').option('--json', 'print JSON')
    .action(async (u: string, o: { json?: boolean }) => {
      const a = await withGatehouse((x) => x.show(u));
      const when = (t: number) => (t ? new Date(t * 1000).toISOString() : 'never');
      output(o.json, a, () => [`uid       ${a.uid}`, `name      ${a.name}`, `mail      ${a.mail}`, `status    ${status(a.status).trim()}`,
        `roles     ${Object.values(a.roles).join(', ') || '-'}`, `created   ${when(a.created)}`, `last login ${when(a.login)}`, `timezone  ${a.timezone ?? '-'}`].join('\n'));
    });
  user.command('search <text>').description('accounts whose name or e-mail contains the text').option('--limit <n>', 'how many', '50').option('--json', 'print JSON')
    .action(async (text: string, o: { limit: string; json?: boolean }) => {
      const rows = await withGatehouse((_x, g) => searchAccounts(g.database.db, text, Number(o.limit)));
      output(o.json, rows, () => rows.map((r) => `${String(r.uid).padStart(6)}  ${status(r.status)}  ${r.name}  <${r.mail}>`).join('\n') || '(no account matches)');
    });
  user.command('rename <user> <new-name>').description('change an account\'s name (Drupal\'s name rules)').option('--json', 'print JSON')
    .action(async (u: string, name: string, o: { json?: boolean }) => {
      const r = await withGatehouse((x) => x.rename(u, name));
      output(o.json, { uid: r.account.uid, name: r.account.name, previous: r.previous }, () => `renamed ${r.previous} to ${r.account.name} (uid ${r.account.uid})`);
    });
  user.command('cancel <user>').description('cancel an account with one of Drupal\'s methods, as the console does (its mails, content handling; a blocked account\'s sessions end)')
    .requiredOption('--method <method>', `one of ${CANCEL_METHODS.join(', ')}`)
    .option('--json', 'print JSON')
    .action(async (u: string, o: { method: string; json?: boolean }) => {
      if (!(CANCEL_METHODS as readonly string[]).includes(o.method)) throw new Error(`--method must be one of ${CANCEL_METHODS.join(', ')}`);
      const config = loadConfig();
      const message = await withGatehouse(async (x, g) => x.cancel(u, o.method as CancelMethod, {
        settings: await SiteSettings.load(g.store.variables, config.siteDefaults), baseUrl: config.baseUrl ?? `http://${config.host}:${config.port}`,
      }));
      output(o.json, { user: u, method: o.method, message }, () => message);
    });
  user.command('people').description('the console\'s people list: prefix of name or e-mail under the site\'s rule, status and role filters, sorted, keyset paging')
    .option('--prefix <text>', 'name or e-mail starts with').option('--status <0|1>', 'blocked (0) or active (1)').option('--role <role>', 'role name or rid')
    .option('--sort <order>', `${PEOPLE_SORTS.join(', ')}`, 'newest')
    .option('--after <cursor>', 'the page after this cursor (the `next` a page printed)').option('--before <uid>', 'newest first: the page after this uid')
    .option('--limit <n>', 'how many (at most 500)', '50').option('--json', 'print JSON')
    .action(async (o: { prefix?: string; status?: string; role?: string; sort: string; after?: string; before?: string; limit: string; json?: boolean }) => {
      if (o.status !== undefined && !/^[01]$/.test(o.status)) throw new Error('--status must be 0 or 1');
      if (!(PEOPLE_SORTS as readonly string[]).includes(o.sort)) throw new Error(`--sort must be one of ${PEOPLE_SORTS.join(', ')}`);
      const sort = peopleSortOf(o.sort);
      const limit = Math.min(500, Math.max(1, Number(o.limit) || 50));
      const rows = await withGatehouse(async (x, g) => createConsoleQueries(g.database.db, await siteCollationOf(g.database.db, loadConfig().siteDefaults)).searchAccounts({
        prefix: o.prefix, status: o.status === undefined ? undefined : (Number(o.status) as 0 | 1), rid: o.role === undefined ? undefined : Number((await x.role(o.role)).rid),
        sort, after: parsePeopleCursor(sort, o.after ?? o.before), limit,
      }));
      const next = rows.length === limit ? peopleCursor(sort, rows[rows.length - 1]) : null;
      output(o.json, rows, () => [...rows.map((r) => `${String(r.uid).padStart(6)}  ${status(r.status)}  ${r.name}  <${r.mail}>`), ...(next ? [`next: --after ${next}`] : [])].join('\n') || '(no account matches)');
    });
  user.command('delete <user>').description('delete an account with its sessions, roles and fields (uid 1 cannot be deleted)').option('--json', 'print JSON')
    .action(async (u: string, o: { json?: boolean }) => {
      const a = await withGatehouse((x) => x.delete(u));
      output(o.json, { uid: a.uid, name: a.name, deleted: true }, () => `deleted ${a.name} (uid ${a.uid})`);
    });
}
