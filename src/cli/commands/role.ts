import type { Command } from 'commander';
import { revokePermissions } from '../../storage/operator-queries.js';
import { output, withGatehouse } from './user.js';

/** Roles (created, granted to and revoked from accounts) and their permissions (Drupal's permission strings). */
export function registerRoleCommands(program: Command): void {
  const role = program.command('role').description('roles: list, create, grant to an account, revoke');
  role.command('list').description('every role with its permissions').option('--json', 'print JSON')
    .action((o: { json?: boolean }) => withGatehouse(async (_x, g) => {
      const rows = await Promise.all((await g.store.roles.all()).map(async (r) => ({ ...r, permissions: (await g.store.roles.permissionsOf([Number(r.rid)])).sort() })));
      output(o.json, rows, () => rows.map((r) => `${String(r.rid).padStart(3)}  ${r.name}${r.permissions.length ? `: ${r.permissions.join(', ')}` : ''}`).join('\n'));
    }));
  role.command('create <name>').description('a new role (next rid)').option('--json', 'print JSON')
    .action((name: string, o: { json?: boolean }) => withGatehouse(async (admin) => {
      const r = await admin.createRole(name);
      output(o.json, r, () => `created role ${r.name} (rid ${r.rid})`);
    }));
  for (const [verb, grant] of [['grant', true], ['revoke', false]] as const) {
    role.command(`${verb} <user> <role>`).description(`${verb} a role (name or rid) ${grant ? 'to' : 'from'} an account (name or uid)`).option('--json', 'print JSON')
      .action((u: string, roleName: string, o: { json?: boolean }) => withGatehouse(async (admin) => {
        const r = await admin.changeRole(u, roleName, grant);
        const what = r.changed ? (grant ? 'granted' : 'revoked') : (grant ? 'already had' : 'did not have');
        output(o.json, { uid: r.account.uid, name: r.account.name, role: r.role.name, rid: r.role.rid, changed: r.changed },
          () => (r.changed ? `${what} ${r.role.name} ${grant ? 'to' : 'from'} ${r.account.name}` : `${r.account.name} ${what} ${r.role.name}`));
      }));
  }

  const permission = program.command('permission').description('permission strings of a role: grant, revoke');
  permission.command('grant <role> <permission...>').description('give a role permissions, e.g. "access user profiles"').option('--json', 'print JSON')
    .action((roleName: string, perms: string[], o: { json?: boolean }) => withGatehouse(async (admin, g) => {
      const r = await admin.role(roleName);
      await g.store.roles.grant(Number(r.rid), perms);
      output(o.json, { role: r.name, rid: r.rid, granted: perms }, () => `${r.name}: granted ${perms.join(', ')}`);
    }));
  permission.command('revoke <role> <permission...>').description('take permissions from a role').option('--json', 'print JSON')
    .action((roleName: string, perms: string[], o: { json?: boolean }) => withGatehouse(async (admin, g) => {
      const r = await admin.role(roleName);
      const removed = await revokePermissions(g.database.db, Number(r.rid), perms);
      output(o.json, { role: r.name, rid: r.rid, revoked: perms, removed }, () => `${r.name}: ${removed} permission(s) revoked`);
    }));
}
