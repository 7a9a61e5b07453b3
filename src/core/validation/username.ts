/**
 * Username validation exactly as a Drupal 7.103 form submission sees it: the textfield value callback
 * ([D7] includes/form.inc form_type_textfield_value), then _form_validate()'s #maxlength and #required
 * checks, then user_validate_name() ([D7] modules/user/user.module). Returns the FIRST error for the
 * `name` element, as the form API keeps only the first error per element.
 *
 * This file also holds the small PHP/Drupal string helpers that the mail validator shares
 * (textfield coercion, check_plain, drupal_strlen, PHP trim).
 */

export const USERNAME_MAX_LENGTH = 60;

/** PHP trim()'s default character set: " \t\n\r\0\x0B" (NOT JavaScript's Unicode-aware trim). */
export function phpTrim(s: string): string {
  return s.replace(/^[ \t\n\r\0\x0B]+|[ \t\n\r\0\x0B]+$/g, '');
}

/** drupal_strlen(): length in Unicode characters (code points). */
export function drupalStrlen(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** check_plain(): htmlspecialchars($text, ENT_QUOTES, 'UTF-8'); '' for text that is not valid UTF-8. */
export function checkPlain(s: string): string {
  if (/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s)) return '';
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#039;' })[c] as string);
}

/** drupal_placeholder() as used by t('%name'): `<em class="placeholder">` + check_plain(text) + `</em>`. */
export function placeholder(text: string | number): string {
  return `<em class="placeholder">${checkPlain(String(text))}</em>`;
}

/**
 * PHP's (string) cast of a number decoded from JSON. Integers print in full; other floats use PHP's
 * `precision` = 14 (%.14G: "1.5", "1.0E+25", "1.0E-5"). JSON numbers that PHP would keep as floats
 * although they are integral (`1e3`, `1.0`) print the same except beyond 15 digits, where JavaScript
 * cannot tell them apart from integers anyway.
 */
export function phpNumberString(n: number): string {
  if (!Number.isFinite(n)) return Number.isNaN(n) ? 'NAN' : n > 0 ? 'INF' : '-INF';
  if (Number.isInteger(n) && Math.abs(n) < 2 ** 63) return BigInt(n).toString();
  const [mant, expPart] = Math.abs(n).toExponential(13).split('e');
  const digits = mant.replace('.', '').replace(/0+$/, '') || '0';
  const exp = Number(expPart);
  const decpt = exp + 1;
  const sign = n < 0 ? '-' : '';
  if (decpt < 0 ? decpt < -3 : decpt > 14) {
    const frac = digits.length > 1 ? digits.slice(1) : '0';
    return `${sign}${digits[0]}.${frac}E${exp < 0 ? '-' : '+'}${Math.abs(exp)}`;
  }
  if (decpt <= 0) return `${sign}0.${'0'.repeat(-decpt)}${digits}`;
  if (digits.length <= decpt) return sign + digits + '0'.repeat(decpt - digits.length);
  return `${sign}${digits.slice(0, decpt)}.${digits.slice(decpt)}`;
}

/**
 * form_type_textfield_value(): what a textfield's #value becomes for a programmatic submission.
 * Non-scalar input (arrays, objects) becomes '' ("This should be a string, but allow other scalars");
 * scalars are cast as PHP casts them (numbers → their string form, true → '1', false → ''); CR and LF
 * are removed. Missing input (undefined/null) gives '' (a new account's default).
 */
export function textfieldValue(input: unknown): string {
  let s: string;
  if (typeof input === 'string') s = input;
  else if (typeof input === 'number') s = phpNumberString(input);
  else if (typeof input === 'boolean') s = input ? '1' : '';
  else return '';
  return s.replace(/[\r\n]/g, '');
}

/** Bytes allowed by user_validate_name()'s non-Unicode whitelist `/[^\x{80}-\x{F7} a-z0-9@+_.'-]/i`. */
function byteAllowed(b: number): boolean {
  return (b >= 0x80 && b <= 0xf7)
    || (b >= 0x61 && b <= 0x7a) || (b >= 0x41 && b <= 0x5a) || (b >= 0x30 && b <= 0x39)
    || b === 0x20 || b === 0x40 || b === 0x2b || b === 0x5f || b === 0x2e || b === 0x27 || b === 0x2d;
}

/** user_validate_name()'s Unicode blacklist. */
const ILLEGAL_UNICODE = /[\u0080-\u00A0\u00AD\u2000-\u200F\u2028-\u202F\u205F-\u206F\uFEFF\uFF01-\uFF60\uFFF9-\uFFFD\u0000-\u001F]/u;

const ILLEGAL = 'The username contains an illegal character.';

/**
 * user_validate_name() on an already-coerced string (no form-level checks). Returns null if valid.
 */
export function userValidateName(name: string): string | null {
  if (name === '' || name === '0') return 'You must enter a username.';
  if (name.startsWith(' ')) return 'The username cannot begin with a space.';
  if (name.endsWith(' ')) return 'The username cannot end with a space.';
  if (name.includes('  ')) return 'The username cannot contain multiple spaces in a row.';
  for (const b of Buffer.from(name, 'utf8')) if (!byteAllowed(b)) return ILLEGAL;
  if (ILLEGAL_UNICODE.test(name)) return ILLEGAL;
  if (drupalStrlen(name) > USERNAME_MAX_LENGTH) {
    return `The username ${placeholder(name)} is too long: it must be ${placeholder(USERNAME_MAX_LENGTH)} characters or less.`;
  }
  return null;
}

/**
 * The first error Drupal reports for the `name` element of the register/profile form, or null.
 * Order: #maxlength (60 characters, on the raw value) → #required (empty after PHP trim) →
 * user_validate_name(). The "already taken" check needs the database and is not done here.
 */
export function validateUsername(name: unknown): string | null {
  const value = textfieldValue(name);
  const length = drupalStrlen(value);
  if (length > USERNAME_MAX_LENGTH) {
    return `Username cannot be longer than ${placeholder(USERNAME_MAX_LENGTH)} characters but is currently ${placeholder(length)} characters long.`;
  }
  if (phpTrim(value) === '') return 'Username field is required.';
  return userValidateName(value);
}
