/** A row of the users table, as stored (Drupal 7's columns). */
export interface Account {
  uid: number;
  name: string;
  pass: string;
  mail: string;
  theme: string;
  signature: string;
  signature_format: string | null;
  created: number;
  changed: number;
  access: number;
  login: number;
  status: number;
  timezone: string | null;
  language: string;
  picture: number;
  init: string;
  /** PHP-serialized `data` column (Drupal's format), or null. */
  data: string | null;
}

export const ACCOUNT_COLUMNS = [
  'uid', 'name', 'pass', 'mail', 'theme', 'signature', 'signature_format', 'created', 'changed', 'access',
  'login', 'status', 'timezone', 'language', 'picture', 'init', 'data',
] as const satisfies readonly (keyof Account)[];

/** users.data of an account saved by Drupal with nothing in it: serialize(FALSE). */
export const EMPTY_DATA = 'b:0;';

export type NewAccount = Omit<Account, 'uid'> & { uid?: number } & SharedMailMark;

/**
 * A legacy account whose address another account also holds (Drupal's user_save allowed it): stored, but
 * outside the one-account-per-address rule (`mail_shared`). Only the legacy bridge sets it.
 */
export interface SharedMailMark { sharedMail?: boolean }

/** What an account update may change. */
export type AccountPatch = Partial<Account> & SharedMailMark;

export interface Role { rid: number; name: string; weight: number }

/** A session row. `sid` is the hash of the id the client holds. */
export interface SessionRecord {
  sid: string;
  ssid: string;
  uid: number;
  hostname: string;
  timestamp: number;
  cache: number;
  /** Drupal's session data string (`key|serialized;…`). */
  session: string;
}

/** The user a request acts as: an account with its roles, or anonymous (uid 0). */
export interface Actor {
  uid: number;
  name: string;
  account: Account | null;
  /** rid → role name. */
  roles: Record<number, string>;
  permissions: ReadonlySet<string>;
  /** uid 1 holds every permission. */
  superuser: boolean;
}

export function can(actor: Actor, permission: string): boolean {
  return actor.superuser || actor.permissions.has(permission);
}

export interface OutgoingMail {
  mailId: string;
  to: string;
  from: string;
  subject: string;
  body: string;
  headers?: Record<string, string>;
}

/** Drupal's well-known role ids. Other roles come from the database. */
export const ANONYMOUS_RID = 1;
export const AUTHENTICATED_RID = 2;
