/**
 * Drupal token replacement for account mails ([D7] includes/token.inc token_scan/token_replace,
 * modules/user/user.tokens.inc, modules/system/system.tokens.inc, user.module user_mail_tokens,
 * user_pass_reset_url, user_cancel_url).
 *
 * Drupal calls token_replace() with sanitize FALSE (mail is plain text) and clear TRUE: every token it
 * finds but cannot replace becomes ''. Links are absolute and built the way url(…, absolute) builds them:
 *   [user:one-time-login-url] {base}/user/reset/{uid}/{now}/{hash}
 *   [user:cancel-url]         {base}/user/{uid}/cancel/confirm/{now}/{hash}
 *   [user:edit-url]           {base}/user/{uid}/edit
 *   [site:url]                {base}/            (the front page: note the trailing slash)
 *   [site:url-brief]          the front page without scheme and trailing slash
 *   [site:login-url]          {base}/user
 * with hash = user_pass_rehash(pass, now, login, uid, mail) (src/core/one-time-link.ts).
 *
 * One deliberate difference: Drupal substitutes with str_replace() over the token list, so a value that
 * itself contains a token (a password such as "[site:mail]") would be expanded in turn; we replace in a
 * single pass and values are never rescanned.
 */
import type { Account } from '../core/model.js';
import { oneTimeLoginPath, userPassRehash } from '../core/one-time-link.js';
import type { SiteKeys } from '../core/settings/site-keys.js';
import type { SiteSettings } from '../core/settings/site-settings.js';

export interface TokenData {
  account: Account;
  settings: SiteSettings;
  keys: SiteKeys;
  /** Absolute base URL, no trailing slash. */
  baseUrl: string;
  /** Request time (seconds): the links' issue time and the [date:…] value. */
  now: number;
  /** The plain password, when known (registration only); otherwise [user:password] is cleared. */
  password?: string;
}

/** token_scan()'s pattern: [type:name], type without whitespace, ':' or brackets; name without brackets. */
const TOKEN = /\[([^\s[\]:]*):([^[\]]*)\]/g;

/** Replaces every token in `text`; unknown tokens are removed (Drupal's `clear`). */
export function replaceTokens(text: string, data: TokenData): string {
  const cache = new Map<string, string>();
  return text.replace(TOKEN, (whole: string, type: string, name: string) => {
    let value = cache.get(whole);
    if (value === undefined) {
      value = tokenValue(type, name, data) ?? '';
      cache.set(whole, value);
    }
    return value;
  });
}

/** The value of one token, or undefined when it is not one we know. */
export function tokenValue(type: string, name: string, d: TokenData): string | undefined {
  if (type === 'user') return userToken(name, d);
  if (type === 'site') return siteToken(name, d);
  if (type === 'date') return dateToken(name, d.now, d.settings);
  return undefined;
}

function linkHash(d: TokenData): string {
  const a = d.account;
  return userPassRehash({
    passHash: a.pass, timestamp: d.now, login: a.login, uid: a.uid, mail: a.mail,
    privateKey: d.keys.privateKey, hashSalt: d.keys.hashSalt,
  });
}

function userToken(name: string, d: TokenData): string | undefined {
  const a = d.account;
  switch (name) {
    case 'name': return a.uid === 0 ? d.settings.string('anonymous', 'Anonymous') : a.name;
    case 'mail': return a.mail;
    case 'uid': return String(a.uid);
    case 'url': return `${d.baseUrl}/user/${a.uid}`;
    case 'edit-url': return `${d.baseUrl}/user/${a.uid}/edit`;
    case 'one-time-login-url': return `${d.baseUrl}/${oneTimeLoginPath(a.uid, d.now, linkHash(d))}`;
    case 'cancel-url': return `${d.baseUrl}/user/${a.uid}/cancel/confirm/${d.now}/${linkHash(d)}`;
    case 'password': return d.password;
    case 'created': return formatDate(a.created, 'medium', d.settings);
    case 'last-login': return a.login ? formatDate(a.login, 'medium', d.settings) : 'never';
    default: {
      const m = /^(created|last-login):(.+)$/.exec(name);
      if (m) return dateToken(m[2], m[1] === 'created' ? a.created : a.login, d.settings);
      return undefined;
    }
  }
}

function siteToken(name: string, d: TokenData): string | undefined {
  switch (name) {
    case 'name': return d.settings.siteName;
    case 'slogan': return d.settings.string('site_slogan');
    case 'mail': return d.settings.siteMail;
    case 'url': return `${d.baseUrl}/`;
    case 'url-brief': return `${d.baseUrl}/`.replace(/^https?:\/\//, '').replace(/\/$/, '');
    case 'login-url': return `${d.baseUrl}/user`;
    default: return undefined;
  }
}

// ---- [date:…] -------------------------------------------------------------------------------------

const DATE_FORMAT_DEFAULTS: Record<string, string> = {
  short: 'm/d/Y - H:i',
  medium: 'D, m/d/Y - H:i',
  long: 'l, F j, Y - H:i',
};

/** [date:short|medium|long|raw|custom:FORMAT|<format type>] for a timestamp. */
function dateToken(name: string, ts: number, settings: SiteSettings): string | undefined {
  if (name === 'raw') return String(ts);
  if (name.startsWith('custom:')) return phpDate(name.slice('custom:'.length), ts, timezone(settings));
  if (name === 'short' || name === 'medium' || name === 'long' || settings.raw(`date_format_${name}`) !== undefined) {
    return formatDate(ts, name, settings);
  }
  return undefined;
}

/** format_date($ts, $type): the site's `date_format_<type>` (Drupal's defaults otherwise). */
export function formatDate(ts: number, type: string, settings: SiteSettings): string {
  const format = settings.string(`date_format_${type}`, DATE_FORMAT_DEFAULTS[type] ?? DATE_FORMAT_DEFAULTS.medium);
  return phpDate(format, ts, timezone(settings));
}

function timezone(settings: SiteSettings): string {
  const tz = settings.string('date_default_timezone', 'UTC') || 'UTC';
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return tz;
  } catch {
    return 'UTC';
  }
}

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** PHP date() for the common format characters (English names), in the given time zone. */
export function phpDate(format: string, ts: number, tz: string): string {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-US', {
    timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric',
    hour: 'numeric', minute: 'numeric', second: 'numeric', weekday: 'short', timeZoneName: 'short',
  }).formatToParts(new Date(ts * 1000)).map((p) => [p.type, p.value]));
  const Y = Number(parts.year); const n = Number(parts.month); const j = Number(parts.day);
  const G = Number(parts.hour) % 24; const i = Number(parts.minute); const s = Number(parts.second);
  const w = new Date(Date.UTC(Y, n - 1, j)).getUTCDay();
  const offsetMin = Math.round((Date.UTC(Y, n - 1, j, G, i, s) - ts * 1000) / 60000);
  const off = (colon: boolean): string => {
    const a = Math.abs(offsetMin);
    return `${offsetMin < 0 ? '-' : '+'}${pad(Math.floor(a / 60))}${colon ? ':' : ''}${pad(a % 60)}`;
  };
  const suffix = (d: number): string => (d % 10 === 1 && d !== 11 ? 'st' : d % 10 === 2 && d !== 12 ? 'nd' : d % 10 === 3 && d !== 13 ? 'rd' : 'th');
  const map: Record<string, () => string> = {
    d: () => pad(j), D: () => DAYS[w].slice(0, 3), j: () => String(j), l: () => DAYS[w], N: () => String(w === 0 ? 7 : w),
    S: () => suffix(j), w: () => String(w), F: () => MONTHS[n - 1], M: () => MONTHS[n - 1].slice(0, 3), m: () => pad(n),
    n: () => String(n), t: () => String(new Date(Date.UTC(Y, n, 0)).getUTCDate()), Y: () => String(Y), y: () => pad(Y % 100),
    a: () => (G < 12 ? 'am' : 'pm'), A: () => (G < 12 ? 'AM' : 'PM'), g: () => String(G % 12 || 12), G: () => String(G),
    h: () => pad(G % 12 || 12), H: () => pad(G), i: () => pad(i), s: () => pad(s), U: () => String(ts),
    e: () => tz, T: () => (tz === 'UTC' ? 'UTC' : String(parts.timeZoneName ?? tz)), O: () => off(false), P: () => off(true),
    Z: () => String(offsetMin * 60),
    c: () => `${Y}-${pad(n)}-${pad(j)}T${pad(G)}:${pad(i)}:${pad(s)}${off(true)}`,
    r: () => `${DAYS[w].slice(0, 3)}, ${pad(j)} ${MONTHS[n - 1].slice(0, 3)} ${Y} ${pad(G)}:${pad(i)}:${pad(s)} ${off(false)}`,
  };
  let out = '';
  for (let k = 0; k < format.length; k++) {
    const ch = format[k];
    if (ch === '\\' && k + 1 < format.length) { out += format[++k]; continue; }
    const f = map[ch];
    out += f ? f() : ch;
  }
  return out;
}
