/**
 * E-mail validation as Drupal 7.103's user_account_form sees it:
 *   textfield coercion → #maxlength 254 (raw value) → #required (empty after PHP trim) → the form-level
 *   user_account_form_validate(): trim, then user_validate_mail() → valid_email_address() =
 *   filter_var($mail, FILTER_VALIDATE_EMAIL).
 *
 * phpFilterValidateEmail() is a port of php-src ext/filter/logical_filters.c php_filter_validate_email(),
 * the non-Unicode pattern (`regexp1`, flags /iD), applied like PCRE in non-UTF mode: to the UTF-8 BYTES of
 * the input, after the "longer than 320 bytes" rejection. Three mechanical changes keep V8 from
 * catastrophic backtracking where PCRE would hit its backtrack limit; they do not change the language:
 *  1. the two leading negative lookaheads ("more than 254 / 64 local-part units") are evaluated by an
 *     exact dynamic program over the same unit grammar (`"?\\[\x00-\x7E]"?` | `"?[^\\"]"?`);
 *  2. `(?:(?:(?:xn--)?L\.){1,126}){1,}` is written `(?:L\.)+` (same strings: `xn--` is already matched
 *     by `L = [a-z0-9]+(?:-+[a-z0-9]+)*`, and nested counted repetition of ≥1 is ≥1);
 *  3. `.` is written `[^\n]` (PCRE's default newline is LF only; JavaScript's `.` also excludes CR).
 */
import { drupalStrlen, phpTrim, placeholder, textfieldValue } from './username.js';

export const EMAIL_MAX_LENGTH = 254;

const ATOM = String.raw`[\x21\x23-\x27\x2A\x2B\x2D\x2F-\x39\x3D\x3F\x5E-\x7E]+`;
const QUOTED = String.raw`\x22(?:[\x01-\x08\x0B\x0C\x0E-\x1F\x21\x23-\x5B\x5D-\x7F]|(?:\x5C[\x00-\x7F]))*\x22`;
const WORD = `(?:(?:${ATOM})|(?:${QUOTED}))`;
const LABEL = String.raw`[a-z0-9]+(?:-+[a-z0-9]+)*`;
const HOSTNAME = String.raw`(?:(?![^\n]*[^.]{64,})(?:${LABEL}\.)+(?:(?:[a-z][a-z0-9]*)|(?:(?:xn--)[a-z0-9]+))(?:-+[a-z0-9]+)*)`;
const OCTET = String.raw`(?:(?:25[0-5])|(?:2[0-4][0-9])|(?:1[0-9]{2})|(?:[1-9]?[0-9]))`;
const IPV4 = String.raw`${OCTET}(?:\.${OCTET}){3}`;
const IPV6_FULL = String.raw`(?:IPv6:(?:(?:[a-f0-9]{1,4}(?::[a-f0-9]{1,4}){7})|(?:(?!(?:[^\n]*[a-f0-9][:\]]){7,})(?:[a-f0-9]{1,4}(?::[a-f0-9]{1,4}){0,5})?::(?:[a-f0-9]{1,4}(?::[a-f0-9]{1,4}){0,5})?)))`;
const IPV6_V4 = String.raw`(?:IPv6:(?:(?:[a-f0-9]{1,4}(?::[a-f0-9]{1,4}){5}:)|(?:(?!(?:[^\n]*[a-f0-9]:){5,})(?:[a-f0-9]{1,4}(?::[a-f0-9]{1,4}){0,3})?::(?:[a-f0-9]{1,4}(?::[a-f0-9]{1,4}){0,3}:)?)))?`;
const LITERAL = String.raw`(?:\[(?:${IPV6_FULL}|(?:${IPV6_V4}${IPV4}))\])`;
/** php-src regexp1 minus its two leading lookaheads (see the header for the exact changes). */
const PHP_EMAIL_BODY = new RegExp(`^${WORD}(?:\\.${WORD})*@(?:${HOSTNAME}|${LITERAL})$`, 'i');

/**
 * The two leading lookaheads of regexp1, exactly:
 *   (?!(?:U){255,})   and   (?!(?:U){65,}@)   with U = (?:\x22?\x5C[\x00-\x7E]\x22?)|(?:\x22?[^\x5C\x22]\x22?)
 * best[i] = the largest number of units that can cover bytes [0, i) (-1: unreachable). The first
 * lookahead fails the match when some prefix splits into ≥ 255 units; the second when a prefix of ≥ 65
 * units is immediately followed by '@'.
 */
function lookaheadsReject(s: string): boolean {
  const n = s.length;
  const best = new Int32Array(n + 1).fill(-1);
  best[0] = 0;
  const relax = (to: number, units: number): void => { if (units > best[to]) best[to] = units; };
  for (let i = 0; i < n; i++) {
    if (best[i] < 0) continue;
    if (best[i] >= 255) return true;
    if (s[i] === '@' && best[i] >= 65) return true;
    const units = best[i] + 1;
    for (const j of s[i] === '"' ? [i, i + 1] : [i]) {
      if (j >= n) continue;
      let k = -1;
      if (s[j] === '\\') { if (j + 1 < n && s.charCodeAt(j + 1) <= 0x7e) k = j + 2; }
      else if (s[j] !== '"') k = j + 1;
      if (k < 0) continue;
      relax(k, units);
      if (k < n && s[k] === '"') relax(k + 1, units);
    }
  }
  return best[n] >= 255;
}

/** filter_var($mail, FILTER_VALIDATE_EMAIL) !== false (no flags). */
export function phpFilterValidateEmail(mail: string): boolean {
  const bytes = Buffer.from(mail, 'utf8');
  if (bytes.length > 320) return false;
  const s = bytes.toString('latin1');
  if (lookaheadsReject(s)) return false;
  return PHP_EMAIL_BODY.test(s);
}

export interface MailValidation {
  /** The value Drupal stores: the textfield value, PHP-trimmed. */
  value: string;
  /** First error for the `mail` element, or null. The "already taken/registered" check is not done here. */
  error: string | null;
}

export function validateMail(mail: unknown): MailValidation {
  const raw = textfieldValue(mail);
  const value = phpTrim(raw);
  const length = drupalStrlen(raw);
  if (length > EMAIL_MAX_LENGTH) {
    return { value, error: `E-mail address cannot be longer than ${placeholder(EMAIL_MAX_LENGTH)} characters but is currently ${placeholder(length)} characters long.` };
  }
  if (value === '') return { value, error: 'E-mail address field is required.' };
  // user_validate_mail(): `if (!$mail)` — only '0' gets here.
  if (value === '0') return { value, error: 'You must enter an e-mail address.' };
  if (!phpFilterValidateEmail(value)) return { value, error: `The e-mail address ${placeholder(value)} is not valid.` };
  return { value, error: null };
}
