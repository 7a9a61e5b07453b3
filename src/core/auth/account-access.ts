import { type Account, type Actor, can } from '../model.js';
import { PERMISSIONS } from './permissions.js';

/**
 * May `actor` see `target`'s account (Drupal 7's user_view_access, Drupal 8+'s UserAccessControlHandler
 * 'view')? Its owner, an administrator, or anyone with `access user profiles` while the account is active.
 */
export function mayViewAccount(actor: Actor, target: Account): boolean {
  if (actor.uid === target.uid && actor.uid !== 0) return true;
  if (can(actor, PERMISSIONS.administerUsers)) return true;
  return can(actor, PERMISSIONS.accessUserProfiles) && target.status === 1;
}

/** Drupal 8+'s 'delete' access on a user: an administrator, or the owner holding `cancel account`. */
export function mayDeleteAccount(actor: Actor, target: Account): boolean {
  if (can(actor, PERMISSIONS.administerUsers)) return true;
  return actor.uid === target.uid && actor.uid !== 0 && can(actor, 'cancel account');
}
