import { GatehouseError } from '../../core/errors.js';
import type { SiteSettings } from '../../core/settings/site-settings.js';
import { Drupal8HttpError } from './http-error.js';
import { stripTags, violationLines } from './violations.js';

/** The Drupal version whose wording is reproduced: 11.4 (default) or an earlier one (≤ 11.3 texts). */
export type WordingVersion = '11.4' | '11.3';

export interface Drupal8Error { status: number; message: string; headers: Record<string, string> }

/** null: not an HTTP answer — the 500 text/plain page (FinalExceptionSubscriber). */
export type Drupal8Outcome = Drupal8Error | null;

/**
 * The one error mapping of this dialect: a core error code (or our own HTTP error) → status and message,
 * in the wording of Drupal 11.4 or of ≤ 11.3 where they differ.
 */
export function toDrupal8Error(err: unknown, settings: SiteSettings, version: WordingVersion): Drupal8Outcome {
  if (err instanceof Drupal8HttpError) return { status: err.status, message: err.message, headers: err.headers };
  if (!(err instanceof GatehouseError)) return null;
  const plain = (status: number, message: string): Drupal8Error => ({ status, message, headers: {} });
  switch (err.code) {
    case 'wrong_credentials':
      return plain(400, version === '11.4' ? 'Unrecognized username or password.' : 'Sorry, unrecognized username or password.');
    case 'account_blocked':
      return plain(400, 'The user has not been activated or is blocked.');
    case 'flood_ip':
      return plain(403, 'Access is blocked because of IP based flood prevention.');
    case 'flood_user':
      return plain(403, settings.flag('user_failed_login_identifier_uid_only')
        ? `There have been more than ${settings.int('user_failed_login_user_limit', 5)} failed login attempts for this account. It is temporarily blocked. Try again later or request a new password.`
        : 'Too many failed login attempts from your IP address. This IP address is temporarily blocked.');
    case 'form_errors':
      return plain(422, `Unprocessable Entity: validation failed.\n${violationLines(err.details.formErrors ?? {}).join('')}`);
    case 'username_change_denied':
      return plain(403, "Access denied on updating field 'name'.");
    case 'admin_cannot_be_deleted':
    case 'admin_cannot_be_canceled':
    case 'access_denied':
    case 'access_denied_plain':
      return plain(403, stripTags(err.message));
    case 'text_beyond_legacy_charset':
      return plain(422, `Unprocessable Entity: validation failed.\n${stripTags(err.message)}\n`);
    case 'payload_too_large':
      return plain(413, 'Request body is too large.');
    default:
      return null;
  }
}
