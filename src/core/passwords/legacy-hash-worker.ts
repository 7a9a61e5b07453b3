/** The worker-thread side of legacy-hash-pool.ts: one verification, or one new Drupal 7 hash, per task. */
import { drupalHash } from './drupal-hash.js';
import { verifyLegacyHash } from './legacy-hash.js';

export interface LegacyVerifyTask { plain: string; stored: string }
export interface DrupalHashTask { plain: string; countLog2: number }

export default function verify(task: LegacyVerifyTask): boolean {
  return verifyLegacyHash(task.plain, task.stored);
}

/** user_hash_password(): a new `$S$` hash at `countLog2`, or null for a password Drupal refuses to hash. */
export function hashDrupal(task: DrupalHashTask): string | null {
  return drupalHash(task.plain, task.countLog2);
}
