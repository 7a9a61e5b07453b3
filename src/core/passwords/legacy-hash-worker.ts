/** The worker-thread side of legacy-hash-pool.ts: one verification per task. */
import { verifyLegacyHash } from './legacy-hash.js';

export interface LegacyVerifyTask { plain: string; stored: string }

export default function verify(task: LegacyVerifyTask): boolean {
  return verifyLegacyHash(task.plain, task.stored);
}
