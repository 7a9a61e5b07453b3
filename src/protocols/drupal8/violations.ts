import { GatehouseError } from '../../core/errors.js';
import { Drupal8HttpError } from './http-error.js';

/**
 * Drupal 8+'s constraint wording for the account checks the core makes (which keep Drupal 7's form texts):
 * one `field: message` line per violation, tags stripped, as the REST module writes them.
 */
const REWORDED: Array<[RegExp, string | ((submitted: Record<string, unknown>) => string)]> = [
  [/^Username cannot be longer than (\d+) characters but is currently \d+ characters long\.$/, (v) => `The username ${String(v.name ?? '')} is too long: it must be $1 characters or less.`],
  [/^The name (.*) is already taken\.$/, 'The username $1 is already taken.'],
  [/^The e-mail address (.*) is already (taken|registered)\.?.*$/, 'The email address $1 is already taken.'],
  [/^The username contains an illegal character\.$/, 'The username contains an invalid character.'],
  [/^E-mail address field is required\.$/, 'Email field is required.'],
  [/^You must enter an e-mail address\.$/, 'Email field is required.'],
  [/^The e-mail address .* is not valid\.$/, 'This value is not a valid email address.'],
  [/^Username field is required\.$/, 'You must enter a username.'],
];

/** Elements of the Drupal 7 form → the user entity's fields. */
const FIELD_OF: Record<string, string> = { name: 'name', mail: 'mail', pass: 'pass' };

export function violationLines(formErrors: Record<string, string>, submitted: Record<string, unknown> = {}): string[] {
  const lines: string[] = [];
  const flagged = Object.entries(formErrors).filter(([, m]) => m === '').map(([element]) => element);
  for (const [element, message] of Object.entries(formErrors)) {
    if (message === '') continue;
    if (element === 'current_pass') {
      // ProtectedUserFieldConstraint: reported on the protected field that changed.
      const field = flagged.find((e) => e === 'mail' || e === 'pass') ?? 'pass';
      lines.push(`${field}: Your current password is missing or incorrect; it's required to change the ${field === 'mail' ? 'Email' : 'Password'}.\n`);
      continue;
    }
    let text = stripTags(message);
    for (const [pattern, replacement] of REWORDED) {
      if (pattern.test(text)) { text = text.replace(pattern, typeof replacement === 'string' ? replacement : replacement(submitted)); break; }
    }
    lines.push(`${FIELD_OF[element] ?? element.split(']')[0]}: ${text}\n`);
  }
  return lines;
}

/** Drupal's strip_tags() and entity decoding for a plain-text message. */
export function stripTags(text: string): string {
  return text.replace(/<[^>]*>/g, '').replace(/&quot;/g, '"').replace(/&#039;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** The core's form errors for `submitted` values as the REST module's 422; other errors pass unchanged. */
export function asViolations(err: unknown, submitted: Record<string, unknown>): unknown {
  if (!(err instanceof GatehouseError) || err.code !== 'form_errors') return err;
  return new Drupal8HttpError(422, `Unprocessable Entity: validation failed.\n${violationLines(err.details.formErrors ?? {}, submitted).join('')}`);
}
