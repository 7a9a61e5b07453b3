/**
 * drupal_random_key() ([D7] includes/bootstrap.inc).
 *
 * `bytes` cryptographically secure random bytes, base64 with `+`→`-`, `/`→`_` and the padding removed
 * (i.e. base64url without padding): 43 characters `[A-Za-z0-9_-]` for the default 32 bytes.
 * Drupal uses it for session ids, `drupal_private_key` and pass-reset tokens.
 */
import { randomBytes } from 'node:crypto';

export function randomKey(bytes = 32): string {
  if (!Number.isInteger(bytes) || bytes < 1) throw new RangeError(`randomKey: bytes must be a positive integer, got ${bytes}`);
  return randomBytes(bytes).toString('base64url');
}
