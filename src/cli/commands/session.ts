import type { Command } from 'commander';
import { listSessions, revokeSessions } from '../../storage/operator-queries.js';
import { output, withGatehouse } from './user.js';

/** An account's live sessions (apps and browsers logged in as it), and ending them. */
export function registerSessionCommands(program: Command): void {
  const session = program.command('session').description('an account\'s sessions: list, revoke');
  session.command('list <user>').description('sessions of an account (name or uid), newest first; ref = start of the stored hash, not the cookie')
    .option('--json', 'print JSON')
    .action((u: string, o: { json?: boolean }) => withGatehouse(async (admin, g) => {
      const rows = await listSessions(g.database.db, (await admin.find(u)).uid);
      output(o.json, rows, () => rows.map((r) => `${r.ref}\t${r.hostname}\tlast seen ${new Date(r.lastSeen * 1000).toISOString()}${r.https ? '\thttps' : ''}`).join('\n') || '(no sessions)');
    }));
  session.command('revoke <user> [ref]').description('end one session (by the ref `session list` shows) or every session of the account')
    .option('--json', 'print JSON')
    .action((u: string, ref: string | undefined, o: { json?: boolean }) => withGatehouse(async (admin, g) => {
      const account = await admin.find(u);
      const revoked = await revokeSessions(g.database.db, account.uid, ref);
      if (ref !== undefined && revoked === 0) throw new Error(`no session ${ref}… for ${account.name}`);
      await admin.event('session_end', account, ref === undefined ? `all ${revoked} sessions` : `session ${ref}…`);
      output(o.json, { uid: account.uid, name: account.name, revoked }, () => `${revoked} session(s) of ${account.name} ended`);
    }));
}
