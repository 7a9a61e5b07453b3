/**
 * The hasher while a legacy Drupal 7 database is bridged: every new hash is a Drupal 7 `$S$` hash at the
 * site's `password_count_log2` (user_hash_password), so the hash Gatehouse writes to the legacy `users.pass`
 * is one Drupal's user_check_password() verifies. The SHA-512 rounds run on the legacy hash worker threads,
 * never on the event loop. needsRehash() is Drupal's user_needs_new_hash(): anything but a 55-character
 * `$S$` at the site's count (argon2id written before the bridge, `$P$`/`$H$`/`U$`, another count) is
 * rewritten as `$S$` at the next successful login. verify() is the base hasher's (every format).
 */
import { DRUPAL_HASH_COUNT, drupalHashNeedsRehash, enforceLog2Boundaries } from './drupal-hash.js';
import { hashDrupalInWorker } from './legacy-hash-pool.js';
import type { PasswordHasher } from './password-hasher.js';

/** A password Drupal 7 cannot hash (over 512 bytes): _password_crypt() returns FALSE and user_save() fails. */
export class UnhashablePasswordError extends Error {}

/** `password_count_log2` as user_hash_password() reads it: absent → Drupal's 15; a number is clamped to 7–30. */
export function siteCountLog2(value: unknown): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : Number.NaN;
  return enforceLog2Boundaries(Number.isFinite(n) ? Math.trunc(n) : DRUPAL_HASH_COUNT);
}

export function createDrupalSiteHasher(base: PasswordHasher, countLog2: number): PasswordHasher {
  const count = enforceLog2Boundaries(countLog2);
  return {
    async hash(plain: string): Promise<string> {
      const hashed = await hashDrupalInWorker(plain, count);
      if (hashed === null) throw new UnhashablePasswordError('the password is too long for Drupal 7 to hash (over 512 bytes)');
      return hashed;
    },
    verify: (plain, stored) => base.verify(plain, stored),
    needsRehash: (stored) => typeof stored === 'string' && stored !== '' && drupalHashNeedsRehash(stored, count),
  };
}
