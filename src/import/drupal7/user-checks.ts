/**
 * How the users step treats messy rows (documented in docs/import.md). Every row is kept as the site had it;
 * what Gatehouse cannot honour is reported as a warning:
 * - a name another account already holds under the site's LIKE rule (docs/collation.md): the lower uid keeps
 *   the name key (`name_key`), this one gets NULL — it logs in by its exact name only where the site's `=` is
 *   exact, until one of them is renamed;
 * - an empty name: `name_key` NULL (cannot log in by name);
 * - a name today's rules refuse (user_validate_name), an empty or invalid mail: kept; a mail another account
 *   holds under the site's LIKE rule: kept as a legacy duplicate (`mail_shared` = 1; Drupal's user_save() allowed
 *   it), outside the unique index that gives every other address one account;
 * - a password hash no format Gatehouse knows (empty, bare MD5): kept; the user must reset the password;
 * - `users.data` that does not unserialize: kept verbatim (the API shows it as `false`, as Drupal would).
 */
import { phpUnserialize } from '../../lib/php-serialize.js';
import { isLegacyHash } from '../../core/passwords/legacy-hash.js';
import { isArgon2Hash } from '../../core/passwords/password-hasher.js';
import { validateMail } from '../../core/validation/mail.js';
import { userValidateName } from '../../core/validation/username.js';
import type { NewAccount } from '../../core/model.js';

export type ImportedUser = NewAccount & { uid: number };

/** Caveats of one row that do not depend on other rows. */
export function rowWarnings(u: ImportedUser): string[] {
  const out: string[] = [];
  if (u.name === '') out.push('empty name: kept, cannot log in by name');
  else {
    const nameError = userValidateName(u.name);
    if (nameError) out.push(`name ${JSON.stringify(u.name)} would be refused today (${nameError}): kept as is`);
  }
  if (u.mail === '') out.push('empty mail: kept; the user cannot request a new password');
  else if (validateMail(u.mail).error) out.push(`mail ${JSON.stringify(u.mail)} is not a valid address: kept as is`);
  if (u.pass === '') out.push('no password hash: kept; the user must request a new password');
  else if (!isLegacyHash(u.pass) && !isArgon2Hash(u.pass)) out.push(`password hash of an unknown kind (${JSON.stringify(u.pass.slice(0, 4))}…): kept; the user must request a new password`);
  if (u.data !== null && u.data !== '') {
    try { phpUnserialize(u.data); } catch (err) { out.push(`users.data does not unserialize (${(err as Error).message}): kept verbatim, read as false`); }
  }
  return out;
}
