/**
 * Session ids ([D7] includes/session.inc, bootstrap.inc drupal_random_key).
 *
 * - On the wire (cookie value, `sessid` in responses, CSRF token key) the id is the raw 43-character
 *   drupal_random_key().
 * - In `sessions.sid` Drupal 7.10x stores drupal_hash_base64(raw id) = base64url(SHA-256(raw id)), no
 *   padding, when `hashed_session_ids_supported` is on and `do_not_hash_session_ids` is off.
 */
import { boundedMemo } from '../../lib/bounded-memo.js';
import { hashBase64 } from './hmac.js';
import { randomKey } from './random-key.js';

/** The value stored in `sessions.sid` for a raw session id (43 characters); remembered, it is asked on every request. */
export const hashSessionId: (sid: string) => string = boundedMemo(hashBase64);

/** A new raw session id: 32 random bytes, base64url, 43 characters. */
export function newSessionId(): string {
  return randomKey(32);
}
