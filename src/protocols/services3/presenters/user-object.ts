import { PERMISSIONS } from '../../../core/auth/permissions.js';
import { ACCOUNT_COLUMNS, type Account, type Actor, can } from '../../../core/model.js';
import type { SiteSettings } from '../../../core/settings/site-settings.js';
import { decodeUserData } from '../../../core/accounts/user-data.js';
import { markPhpObject } from '../../../lib/php-values.js';
import type { UserExtras } from './user-extras.js';

/** A stored value as Drupal 7 hands it out: every column a string, SQL NULL as null. */
export function dbString(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}


/** Drupal's services_remove_user_data: pass always, mail unless admin or own, init unless admin. */
export function stripPrivate(obj: Record<string, unknown>, viewer: Actor, ownerUid: number): Record<string, unknown> {
  delete obj.pass;
  delete obj.current_pass;
  const admin = can(viewer, PERMISSIONS.administerUsers);
  if (!admin && viewer.uid !== ownerUid) delete obj.mail;
  if (!admin) delete obj.init;
  return obj;
}

/**
 * The full user object of retrieve and login (user_load): columns as strings, `data` unserialized,
 * roles, the picture as the site shows it, and the site's extra properties (e.g. rdf_mapping).
 */
export function userObject(
  account: Account, roles: Record<number, string>, settings: SiteSettings, viewer: Actor, extras?: UserExtras,
): Record<string, unknown> {
  const obj: Record<string, unknown> = {};
  for (const column of ACCOUNT_COLUMNS) obj[column] = dbString(account[column]);
  obj.picture = extras?.picture !== undefined ? extras.picture
    : settings.flag('user_pictures') ? (account.picture > 0 ? String(account.picture) : null) : String(account.picture);
  obj.data = decodeUserData(account.data);
  obj.roles = { ...roles };
  for (const [name, value] of extras?.fields ?? []) obj[name] = value;
  const rdf = settings.raw('gatehouse_user_rdf_mapping');
  if (rdf !== undefined && rdf !== null) obj.rdf_mapping = rdf;
  return markPhpObject(stripPrivate(obj, viewer, account.uid));
}

/** The anonymous user object of system/connect and logout 1.1. */
export function anonymousUserObject(hostname: string, roleName: string, timestamp?: number): Record<string, unknown> {
  const obj: Record<string, unknown> = { uid: 0, hostname, roles: { 1: roleName }, cache: 0 };
  if (timestamp !== undefined) obj.timestamp = timestamp;
  return markPhpObject(obj);
}
