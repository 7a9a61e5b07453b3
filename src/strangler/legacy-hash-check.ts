import { isArgon2Hash } from '../core/passwords/password-hasher.js';
import { isLegacyHash } from '../core/passwords/legacy-hash.js';
import type { LegacyDatabase } from './legacy-database.js';

/**
 * The stored hashes Drupal 7's user_check_password() can verify, with their shapes ([D7] password.inc):
 * `$S$` (SHA-512, 55 characters), `$P$`/`$H$` (phpass MD5, 34), each optionally behind `U` (a D6 MD5
 * rehashed by user_update_7000); the 4th character is the iteration count, 7–30 (`5`…`S` in itoa64).
 */
const DRUPAL_VERIFIABLE = /^U?(?:\$S\$[5-9A-S][./0-9A-Za-z]{51}|\$[PH]\$[5-9A-S][./0-9A-Za-z]{30})$/;

export function isDrupalVerifiableHash(pass: string): boolean {
  return DRUPAL_VERIFIABLE.test(pass);
}

export interface HashFinding { ok: boolean; detail: string }

const LIST_LIMIT = 10;

/**
 * Every legacy account's `users.pass` is one Drupal 7 can verify; those that are not are listed with their
 * repair. One Gatehouse can verify (argon2id written before `$S$` write-through, bcrypt) is rewritten as
 * `$S$` at the user's next login through Gatehouse; any other needs a new password. Accounts without a
 * password (empty `pass`) log in on neither side and are only counted.
 */
export async function checkLegacyHashes(db: LegacyDatabase): Promise<HashFinding> {
  const rows = await db.execute('read password hashes', 'SELECT uid, name, pass FROM users WHERE uid > 0 ORDER BY uid');
  const bad: string[] = [];
  let empty = 0;
  for (const row of rows) {
    const pass = String(row.pass ?? '');
    if (pass === '') { empty++; continue; }
    if (isDrupalVerifiableHash(pass)) continue;
    const repair = isArgon2Hash(pass) || isLegacyHash(pass) ? 'rewritten at the next login through Gatehouse' : 'needs a new password';
    bad.push(`uid ${Number(row.uid)} (${String(row.name)}): ${pass.slice(0, 12)}… ${repair}`);
  }
  const none = empty > 0 ? `; ${empty} without a password` : '';
  if (bad.length === 0) return { ok: true, detail: `${rows.length} accounts, every hash one Drupal 7 verifies${none}` };
  const shown = bad.slice(0, LIST_LIMIT).join('; ') + (bad.length > LIST_LIMIT ? `; … ${bad.length - LIST_LIMIT} more` : '');
  return { ok: false, detail: `${bad.length} account(s) with a hash Drupal 7 cannot verify (they cannot log in on Drupal): ${shown}${none}. `
    + 'A login through Gatehouse rewrites the hash as $S$; `gatehouse user set-password` or a one-time login link sets a new one now' };
}
