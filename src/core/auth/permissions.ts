import { type Account, type Actor, ANONYMOUS_RID, AUTHENTICATED_RID } from '../model.js';
import type { RoleRepository } from '../ports.js';

/** Permissions the Services user and system resources check. Their strings are data, kept here once. */
export const PERMISSIONS = {
  administerUsers: 'administer users',
  accessUserProfiles: 'access user profiles',
  changeOwnUsername: 'change own username',
  administerPermissions: 'administer permissions',
  unlimitedIndex: 'perform unlimited index queries',
  getVariable: 'get a system variable',
  setVariable: 'set a system variable',
} as const;

/** Builds the actor for an account (or anonymous): roles rid → name from the database, their permissions. */
export async function actorFor(roles: RoleRepository, account: Account | null): Promise<Actor> {
  const all = await roles.all();
  const nameOf = (rid: number) => all.find((r) => Number(r.rid) === rid)?.name ?? '';
  const rids = account ? [AUTHENTICATED_RID, ...(await roles.rolesOf(account.uid)).filter((r) => r !== AUTHENTICATED_RID)] : [ANONYMOUS_RID];
  const roleMap: Record<number, string> = {};
  for (const rid of rids.sort((a, b) => a - b)) roleMap[rid] = nameOf(rid);
  return {
    uid: account?.uid ?? 0,
    name: account?.name ?? '',
    account,
    roles: roleMap,
    permissions: new Set(await roles.permissionsOf(rids)),
    superuser: account?.uid === 1,
  };
}

export function anonymousActor(permissions: Iterable<string>, roleName = 'anonymous user'): Actor {
  return { uid: 0, name: '', account: null, roles: { [ANONYMOUS_RID]: roleName }, permissions: new Set(permissions), superuser: false };
}
