/**
 * Stored hashes an imported site brings that are not ours (argon2id): Drupal 7's `$S$`, `$P$`/`$H$` and
 * `U$…` (drupal-hash.ts) and bcrypt (`$2y$`, PHP's password_hash() as Drupal 10.1+ stores it; `$2a$`/`$2b$`
 * are the same algorithm). Verification is synchronous CPU work: legacy-hash-pool.ts runs it on worker
 * threads so the event loop stays free.
 */
import bcrypt from 'bcryptjs';
import { drupalCheckPasswordSync, isDrupalHash } from './drupal-hash.js';

const BCRYPT = /^\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}$/;

export function isBcryptHash(stored: string): boolean {
  return typeof stored === 'string' && BCRYPT.test(stored);
}

/** True for every stored format verifyLegacyHash() can check. */
export function isLegacyHash(stored: string): boolean {
  return typeof stored === 'string' && (isDrupalHash(stored) || isBcryptHash(stored));
}

/** Checks `plain` against a Drupal 7 or bcrypt hash; anything else (or a malformed hash) is false. */
export function verifyLegacyHash(plain: string, stored: string): boolean {
  if (typeof plain !== 'string' || typeof stored !== 'string') return false;
  if (isBcryptHash(stored)) {
    try { return bcrypt.compareSync(plain, stored); } catch { return false; }
  }
  if (isDrupalHash(stored)) return drupalCheckPasswordSync(plain, stored);
  return false;
}
