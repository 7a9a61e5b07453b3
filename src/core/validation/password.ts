/**
 * The `pass` element (a password_confirm) of Drupal 7.103's user_account_form
 * ([D7] includes/form.inc form_type_password_confirm_value, password_confirm_validate) as fed by
 * Services ([UR] _user_resource_create/_update: a string is used for both fields, {pass1, pass2} is
 * passed through).
 */
import { phpNumberString, phpTrim } from './username.js';

export interface PasswordInput { pass1: string; pass2: string }

/** form_type_password_confirm_value(): scalars are cast like PHP, anything else becomes ''. */
function scalarString(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return phpNumberString(v);
  if (typeof v === 'boolean') return v ? '1' : '';
  return '';
}

/**
 * The two confirmation values, PHP-trimmed (password_confirm_validate trims both; the trimmed pass1 is
 * what gets saved). null when no `pass` was submitted at all (undefined or null).
 * - a scalar → used for both fields;
 * - an object → its `pass1` / `pass2` keys (non-scalar or missing values become '');
 * - an array (JSON list) → both '' (it has no pass1/pass2 keys).
 */
export function readPasswordInput(pass: unknown): PasswordInput | null {
  if (pass === undefined || pass === null) return null;
  if (typeof pass === 'object') {
    if (Array.isArray(pass)) return { pass1: '', pass2: '' };
    const o = pass as Record<string, unknown>;
    return { pass1: phpTrim(scalarString(o.pass1)), pass2: phpTrim(scalarString(o.pass2)) };
  }
  const v = phpTrim(scalarString(pass));
  return { pass1: v, pass2: v };
}

export const PASSWORDS_DO_NOT_MATCH = 'The specified passwords do not match.';
export const PASSWORD_REQUIRED = 'Password field is required.';

/**
 * password_confirm_validate(): if either value is non-empty they must be identical; if both are empty the
 * field is an error only when it is required (register without e-mail verification, or an admin creating
 * an account; never on the profile form). `input` should come from readPasswordInput(); null = not sent.
 */
export function validatePassword(input: PasswordInput | null, o: { required?: boolean } = {}): string | null {
  const required = o.required ?? true;
  const pass1 = input ? phpTrim(input.pass1) : '';
  const pass2 = input ? phpTrim(input.pass2) : '';
  if (pass1.length > 0 || pass2.length > 0) return pass1 === pass2 ? null : PASSWORDS_DO_NOT_MATCH;
  return required ? PASSWORD_REQUIRED : null;
}
