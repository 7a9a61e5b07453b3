/**
 * Session cookie name and domain ([D7] 7.103 includes/bootstrap.inc drupal_settings_initialize,
 * _drupal_get_cookie_domain; drupal_environment_initialize lower-cases the Host header first).
 *
 * Name: `SESS` (or `SSESS` on HTTPS) + the first 32 hex characters of sha256(input), where input is
 * - `$cookie_domain` from settings.php when it is set (non-empty and not "0"), used verbatim; otherwise
 * - the base URL without its scheme: lower-cased Host header (port included) + base path
 *   (e.g. `example.com`, `example.com:8080`, `example.com/drupal`). Since 7.83 this derived input gets a
 *   leading `.` when it starts with `www.` (issue #2522002), so old www-sites keep their cookie name.
 *
 * Domain attribute: settings.php `$cookie_domain` verbatim, else the Host with leading dots and the port
 * stripped and one leading `.` added (7.83+ no longer strips `www.`). It is only set when that string has
 * more than 2 dot-separated parts and is not numeric once the dots are removed (so never for
 * `localhost` or IPv4 hosts: host-only cookie).
 */
import { createHash } from 'node:crypto';
import { phpTruthy } from '../../lib/php-values.js';

export interface CookieNameInput {
  /** The Host header as sent (port included). */
  host: string;
  /** The site's base path: '' or '/' for the root, '/drupal' for a subdirectory (trailing slashes ignored). */
  basePath: string;
  https: boolean;
  /** `$cookie_domain` from settings.php, if any. */
  cookieDomain?: string | null;
}

/** A configured cookie domain that counts in PHP ('' and '0' do not). */
function isSet(s: string | null | undefined): s is string {
  return typeof s === 'string' && phpTruthy(s);
}

/** `rtrim(dirname(SCRIPT_NAME), '\/')` normalised to '' (root) or '/dir'. */
function normaliseBasePath(basePath: string): string {
  const trimmed = basePath.replace(/[\\/]+$/, '');
  if (trimmed === '') return '';
  return trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}

/** The string whose SHA-256 names the cookie (exported for diagnostics and tests). */
export function sessionNameInput(o: CookieNameInput): string {
  if (isSet(o.cookieDomain)) return o.cookieDomain;
  const input = o.host.toLowerCase() + normaliseBasePath(o.basePath);
  return input.startsWith('www.') ? `.${input}` : input;
}

export function sessionCookieName(o: CookieNameInput): string {
  const prefix = o.https ? 'SSESS' : 'SESS';
  return prefix + createHash('sha256').update(sessionNameInput(o), 'utf8').digest('hex').slice(0, 32);
}

/** _drupal_get_cookie_domain($host): strip leading dots and the port, add one leading dot. */
function cookieDomainFromHost(host: string): string {
  const noDots = host.toLowerCase().replace(/^\.+/, '');
  return `.${noDots.split(':')[0]}`;
}

/** PHP 8 is_numeric() for a string without dots (optional surrounding whitespace, sign, digits, exponent). */
function phpIsNumeric(s: string): boolean {
  return /^[ \t\n\r\v\f]*[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?[ \t\n\r\v\f]*$/.test(s);
}

/**
 * The `domain` attribute of the session cookie, or null when Drupal sets none (host-only cookie).
 */
export function cookieDomain(o: { host: string; cookieDomain?: string | null }): string | null {
  let domain = '';
  if (isSet(o.cookieDomain)) domain = o.cookieDomain;
  else if (o.host !== '') domain = cookieDomainFromHost(o.host);
  if (domain.split('.').length > 2 && !phpIsNumeric(domain.replaceAll('.', ''))) return domain;
  return null;
}
