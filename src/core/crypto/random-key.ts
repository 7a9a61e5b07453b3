/**
 * drupal_random_key() ([D7] includes/bootstrap.inc).
 *
 * `bytes` cryptographically secure random bytes, base64 with `+`→`-`, `/`→`_` and the padding removed
 * (i.e. base64url without padding): 43 characters `[A-Za-z0-9_-]` for the default 32 bytes.
 * Drupal uses it for session ids, `drupal_private_key` and pass-reset tokens.
 *
 * The bytes come from the system's CSPRNG 8 KB at a time (as crypto.randomUUID keeps a cache of random
 * bytes): an anonymous request that is handed a session id does not make a call into OpenSSL of its own.
 * Every byte is handed out once, then overwritten by the next fill.
 */
import { randomBytes, randomFillSync } from 'node:crypto';

const POOL = Buffer.alloc(8192);
let used = POOL.length;

export function randomKey(bytes = 32): string {
  if (!Number.isInteger(bytes) || bytes < 1) throw new RangeError(`randomKey: bytes must be a positive integer, got ${bytes}`);
  if (bytes > 256) return randomBytes(bytes).toString('base64url');
  if (used + bytes > POOL.length) {
    randomFillSync(POOL);
    used = 0;
  }
  const key = POOL.toString('base64url', used, used + bytes);
  used += bytes;
  return key;
}
