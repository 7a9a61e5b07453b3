import { placeholder } from '../errors.js';
import { validateMail } from '../validation/mail.js';
import { validateUsername } from '../validation/username.js';
import type { AccountRepository } from '../ports.js';
import type { FormErrors } from './form-errors.js';

/** A body as PHP sees it after (array) casting: objects stay maps, anything else becomes `[0 => value]`. */
export function asFormValues(input: unknown): Record<string, unknown> {
  if (input !== null && typeof input === 'object' && !Array.isArray(input)) return input as Record<string, unknown>;
  if (Array.isArray(input)) return Object.fromEntries(input.map((v, i) => [String(i), v]));
  if (input === undefined || input === null) return {};
  return { 0: input };
}

const ELEMENT_LEVEL = /field is required\.|cannot be longer than/;

/** The element-level half of name validation (required, maxlength): it precedes every other element's form-level checks. */
export function nameElementError(name: unknown): string | null {
  const error = validateUsername(name);
  return error !== null && ELEMENT_LEVEL.test(error) ? error : null;
}

export function mailElementCheck(mail: unknown): { value: string; error: string | null } {
  const result = validateMail(mail);
  return { value: result.value, error: result.error !== null && ELEMENT_LEVEL.test(result.error) ? result.error : null };
}

/** user_account_form_validate's name part: the username rules, then uniqueness (case-insensitive). */
export async function validateNameFormLevel(errors: FormErrors, accounts: AccountRepository, name: unknown, exceptUid?: number): Promise<void> {
  if (errors.has('name')) return;
  const error = validateUsername(name);
  if (error !== null) { errors.set('name', error); return; }
  const value = String(name);
  if (await accounts.nameTaken(value, exceptUid)) errors.set('name', `The name ${placeholder(value)} is already taken.`);
}

/** The mail part: format, then uniqueness; an anonymous visitor is pointed at the password form. */
export async function validateMailFormLevel(
  errors: FormErrors, accounts: AccountRepository, mail: unknown, o: { exceptUid?: number; anonymous: boolean; basePath: string },
): Promise<string> {
  const result = validateMail(mail);
  if (errors.has('mail')) return result.value;
  if (result.error !== null) { errors.set('mail', result.error); return result.value; }
  if (await accounts.mailTaken(result.value, o.exceptUid)) errors.set('mail', mailTakenMessage(result.value, o));
  return result.value;
}

/** The mail uniqueness error: an anonymous visitor is pointed at the password form. */
export function mailTakenMessage(mail: string, o: { anonymous: boolean; basePath: string }): string {
  return o.anonymous
    ? `The e-mail address ${placeholder(mail)} is already registered. <a href="${o.basePath}/user/password">Have you forgotten your password?</a>`
    : `The e-mail address ${placeholder(mail)} is already taken.`;
}

const PASSWORD_CHARS = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** Drupal's user_password(): a random password from an unambiguous alphabet. */
export function generatePassword(random: (n: number) => Buffer, length = 10): string {
  const bytes = random(length * 2);
  let out = '';
  for (let i = 0; out.length < length && i < bytes.length; i++) {
    if (bytes[i] < 256 - (256 % PASSWORD_CHARS.length)) out += PASSWORD_CHARS[bytes[i] % PASSWORD_CHARS.length];
  }
  return out.length === length ? out : out + generatePassword(random, length - out.length);
}
