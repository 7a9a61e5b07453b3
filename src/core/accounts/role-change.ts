import { PERMISSIONS } from '../auth/permissions.js';
import { recordAccountEvent } from '../audit/account-events.js';
import type { Caller, CoreDeps } from '../core-deps.js';
import { domainError } from '../errors.js';
import { ANONYMOUS_RID, AUTHENTICATED_RID, can } from '../model.js';
import { sameRoleSet } from './role-selection.js';

/** Whether the caller may assign roles: Drupal offers the role operations to `administer permissions` only. */
export function mayAssignRoles(caller: Caller): boolean {
  return can(caller.actor, PERMISSIONS.administerUsers) && can(caller.actor, PERMISSIONS.administerPermissions);
}

async function assignable(deps: CoreDeps, rid: number): Promise<boolean> {
  if (rid === ANONYMOUS_RID || rid === AUTHENTICATED_RID) return false;
  return (await deps.store.roles.all()).some((r) => Number(r.rid) === rid);
}

/**
 * user_multiple_role_edit: adds or removes one role on several accounts (the people list's bulk operations).
 * Accounts that already have (or lack) the role are left alone; returns the uids changed.
 */
export async function changeRoleOf(deps: CoreDeps, caller: Caller, uids: number[], op: 'add' | 'remove', rid: number): Promise<number[]> {
  if (!mayAssignRoles(caller)) throw domainError('access_denied_plain');
  if (!(await assignable(deps, rid))) throw domainError('form_errors', { messages: 'An illegal choice has been detected. Please contact the site administrator.' });
  return deps.store.transaction(async (tx) => {
    const changed: number[] = [];
    for (const uid of uids) {
      if (uid <= 0 || !(await tx.accounts.byUid(uid))) continue;
      const current = await tx.roles.rolesOf(uid);
      const next = op === 'add' ? (current.includes(rid) ? current : [...current, rid]) : current.filter((r) => r !== rid);
      if (next.length === current.length) continue;
      await tx.roles.setRoles(uid, next);
      await tx.accounts.update(uid, { changed: deps.clock.now() });
      changed.push(uid);
    }
    return changed;
  }).then(async (changed) => {
    for (const uid of changed) await recordAccountEvent(deps, caller, 'role_change', { uid, name: (await deps.store.accounts.byUid(uid))?.name ?? '' }, `${op === 'add' ? 'added' : 'removed'} role ${rid}`);
    return changed;
  });
}

/** The edit form's role checkboxes: the account's roles become exactly `rids` (an empty list removes them all). */
export async function setRolesOf(deps: CoreDeps, caller: Caller, uid: number, rids: number[]): Promise<void> {
  if (!mayAssignRoles(caller)) throw domainError('access_denied_plain');
  for (const rid of rids) {
    if (!(await assignable(deps, rid))) throw domainError('form_errors', { messages: 'An illegal choice has been detected. Please contact the site administrator.' });
  }
  const before = await deps.store.roles.rolesOf(uid);
  const after = [...new Set(rids)].sort((a, b) => a - b);
  await deps.store.roles.setRoles(uid, after);
  if (!sameRoleSet(before, after)) {
    await recordAccountEvent(deps, caller, 'role_change', { uid, name: (await deps.store.accounts.byUid(uid))?.name ?? '' }, `roles now: ${after.join(', ') || 'none'}`);
  }
}
