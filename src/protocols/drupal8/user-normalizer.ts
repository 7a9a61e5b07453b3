import { PERMISSIONS } from '../../core/auth/permissions.js';
import { type Account, type Actor, ANONYMOUS_RID, AUTHENTICATED_RID, can } from '../../core/model.js';

/**
 * The user entity as Drupal 8+'s serializer writes it (field lists, `{"value": …}` items), filtered by the
 * field access of UserAccessControlHandler for the viewer: mail, timezone and languages for the owner,
 * status, roles, access, login and init only for administrators, never pass.
 */

/** A role's machine name: what Drupal's migration of a Drupal 7 role makes of its name. */
export function roleMachineName(rid: number, name: string): string {
  if (rid === ANONYMOUS_RID) return 'anonymous';
  if (rid === AUTHENTICATED_RID) return 'authenticated';
  return name.toLowerCase().replace(/[^a-z0-9_]+/g, '_');
}

/** An actor's roles (rid → name) as $account->getRoles() lists them. */
export function roleMachineNames(roles: Record<number, string>): string[] {
  return Object.entries(roles).map(([rid, name]) => roleMachineName(Number(rid), name));
}

/** The timestamp field items: RFC 3339 in UTC with the format Drupal announces. */
function timestamp(seconds: number): Array<Record<string, unknown>> {
  return [{ value: new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, '+00:00'), format: 'Y-m-d\\TH:i:sP' }];
}

const item = (value: unknown): Array<Record<string, unknown>> => [{ value }];

export interface NormalizeInput {
  target: Account;
  /** The target's stored roles (rid → name, without authenticated). */
  roles: Record<number, string>;
  viewer: Actor;
}

export function normalizeUser({ target, roles, viewer }: NormalizeInput): Record<string, unknown> {
  const admin = can(viewer, PERMISSIONS.administerUsers);
  const own = viewer.uid === target.uid && viewer.uid !== 0;
  const langcode = target.language !== '' ? target.language : 'en';
  const out: Record<string, unknown> = { uid: item(target.uid), langcode: item(langcode) };
  if (admin || own) {
    out.preferred_langcode = item(langcode);
    out.preferred_admin_langcode = [];
  }
  out.name = item(target.name);
  if (admin || own || can(viewer, 'view user email addresses')) out.mail = item(target.mail);
  if (admin || own) out.timezone = target.timezone === null ? [] : item(target.timezone);
  if (admin) out.status = item(target.status === 1);
  out.created = timestamp(target.created);
  out.changed = timestamp(target.changed);
  if (admin) {
    out.access = timestamp(target.access);
    out.login = timestamp(target.login);
    out.init = item(target.init);
    out.roles = Object.entries(roles)
      .filter(([rid]) => Number(rid) !== AUTHENTICATED_RID)
      .map(([rid, name]) => ({ target_id: roleMachineName(Number(rid), name), target_type: 'user_role' }));
  }
  out.default_langcode = item(true);
  return out;
}
