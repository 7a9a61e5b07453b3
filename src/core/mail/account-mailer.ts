import { phpTruthy } from '../../lib/php-values.js';
import type { Account, OutgoingMail } from '../model.js';
import type { SiteSettings } from '../settings/site-settings.js';
import type { SiteKeys } from '../settings/site-keys.js';

/** Drupal's account mail kinds (`user_<kind>` is the mail id). */
export type AccountMailKind =
  | 'register_admin_created'
  | 'register_no_approval_required'
  | 'register_pending_approval'
  | 'register_pending_approval_admin'
  | 'password_reset'
  | 'status_activated'
  | 'status_blocked'
  | 'cancel_confirm'
  | 'status_canceled';

export interface AccountMailContext {
  settings: SiteSettings;
  keys: SiteKeys;
  /** Absolute base URL of the site, no trailing slash (links are built on it). */
  baseUrl: string;
  now: number;
  /** The plain password, when Drupal puts it in a token ([user:password]) — only at registration. */
  password?: string;
}

/** Composes an account mail (texts from site settings, Drupal tokens replaced, one-time links working). */
export interface AccountMailer {
  compose(kind: AccountMailKind, account: Account, ctx: AccountMailContext): OutgoingMail;
}

/**
 * _user_mail_notify: which mails one notification sends. Each kind is sent only when the site's
 * `user_mail_<kind>_notify` is on (default on, except for `status_blocked` and `status_canceled`); a pending
 * approval also sends the administrator's copy. None when the notification is off.
 */
export function notifiedKinds(kind: AccountMailKind, settings: SiteSettings): AccountMailKind[] {
  const stored = settings.raw(`user_mail_${kind}_notify`);
  const notify = stored === undefined ? kind !== 'status_blocked' && kind !== 'status_canceled' : phpTruthy(stored);
  if (!notify) return [];
  return kind === 'register_pending_approval' ? [kind, 'register_pending_approval_admin'] : [kind];
}
