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
