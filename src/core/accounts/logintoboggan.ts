/**
 * LoginToboggan's rules on the account forms (dooug/logintoboggan, logintoboggan_form_user_register_form_alter
 * and logintoboggan_user_register_validate), for a site that ran the module (setting `gatehouse_logintoboggan`,
 * set by the import from the site's `system` table, with the module's own `logintoboggan_*` variables).
 * Its e-mail login belongs to the HTML login form only, never to Services' user/login.
 */
import { placeholder } from '../errors.js';
import type { AccountRepository } from '../ports.js';
import type { SiteSettings } from '../settings/site-settings.js';
import { readPasswordInput } from '../validation/password.js';
import { textfieldValue } from '../validation/username.js';
import type { FormErrors } from './form-errors.js';

export const LOGINTOBOGGAN_ENABLED = 'gatehouse_logintoboggan';

/** The characters logintoboggan_validate_pass() refuses in a password. */
const ILLEGAL_PASSWORD = /[\u0080-\u00F7\u2000-\u200F\u2028-\u202F\u205F-\u206F\uFEFF\uFF01-\uFF60\uFFF9-\uFFFD]/u;

/**
 * logintoboggan_user_register_validate, run after the core checks (an element that already has an error keeps
 * it). The module adds it to the registration form for administrators, and for visitors when the site confirms
 * e-mail at registration or lets visitors choose their password (`user_email_verification` off):
 * - a name that is another account's e-mail (`LOWER(:name) = LOWER(mail)`: the site's LIKE rule) is refused:
 *   "This e-mail has already been taken by another user.";
 * - with `user_email_verification` off, the password is checked by logintoboggan_validate_pass().
 */
export async function logintobogganRegisterValidate(
  settings: SiteSettings, accounts: AccountRepository, errors: FormErrors, values: Record<string, unknown>, o: { admin: boolean },
): Promise<void> {
  if (!settings.flag(LOGINTOBOGGAN_ENABLED)) return;
  const choosesPassword = !settings.emailVerification;
  if (!(o.admin || settings.flag('logintoboggan_confirm_email_at_registration') || choosesPassword)) return;
  const name = textfieldValue(values.name);
  if (!errors.has('name') && name !== '' && (await accounts.mailTaken(name))) errors.set('name', 'This e-mail has already been taken by another user.');
  if (choosesPassword && !errors.has('pass')) {
    const error = passwordError(readPasswordInput(values.pass)?.pass1 ?? '', settings.int('logintoboggan_minimum_password_length', 0));
    if (error) errors.set('pass', error);
  }
}

/**
 * logintoboggan_user_edit_validate, run after the core checks of the profile form (Services' user update):
 * with `logintoboggan_login_with_email` on, a name that is another account's e-mail ("This name has already
 * been taken by another user.") or a mail that is another account's name ("This e-mail has already been taken
 * by another user.") is refused; a new password is checked by logintoboggan_validate_pass(). The form's values
 * hold the account's name and mail where the request leaves them out.
 */
export async function logintobogganEditValidate(
  settings: SiteSettings, accounts: AccountRepository, errors: FormErrors, o: { uid: number; name: string; mail: string; newPass: string | null },
): Promise<void> {
  if (!settings.flag(LOGINTOBOGGAN_ENABLED)) return;
  if (settings.flag('logintoboggan_login_with_email')) {
    if (!errors.has('name') && o.name !== '' && (await accounts.mailTaken(o.name, o.uid))) errors.set('name', 'This name has already been taken by another user.');
    if (!errors.has('mail') && o.mail !== '' && (await accounts.nameTaken(o.mail, o.uid))) errors.set('mail', 'This e-mail has already been taken by another user.');
  }
  if (o.newPass !== null && o.newPass !== '' && !errors.has('pass')) {
    const error = passwordError(o.newPass, settings.int('logintoboggan_minimum_password_length', 0));
    if (error) errors.set('pass', error);
  }
}

/** logintoboggan_validate_pass(): present, no illegal character, at least the minimum length (in bytes, strlen). */
function passwordError(pass: string, minimum: number): string | null {
  if (pass.length === 0) return 'You must enter a password.';
  if (ILLEGAL_PASSWORD.test(pass)) return 'The password contains an illegal character.';
  if (minimum > 0 && Buffer.byteLength(pass, 'utf8') < minimum) return `The password is too short: it must be at least ${placeholder(String(minimum))} characters.`;
  return null;
}
