/**
 * Drupal's HMAC and hash helpers ([D7] includes/bootstrap.inc drupal_hmac_base64, drupal_hash_base64).
 *
 * Both encode the raw digest as base64 with `+`→`-`, `/`→`_` and `=` removed (base64url, no padding):
 * always 43 characters for SHA-256. Strings are hashed as their UTF-8 bytes, which is what PHP sees for
 * UTF-8 input.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** drupal_hmac_base64($data, $key): HMAC-SHA256 of `data` keyed with `key`. */
export function hmacBase64(data: string, key: string): string {
  return createHmac('sha256', Buffer.from(key, 'utf8')).update(data, 'utf8').digest('base64url');
}

/** drupal_hash_base64($data): plain SHA-256 of `data`. */
export function hashBase64(data: string): string {
  return createHash('sha256').update(data, 'utf8').digest('base64url');
}

/**
 * Constant-time string comparison (compares UTF-8 bytes). Returns false, without comparing contents, when
 * the lengths differ or when either argument is not a string. Drupal itself compares tokens with `===`;
 * this is the timing-safe equivalent.
 */
export function safeEqual(a: string, b: string): boolean {
  if (typeof a !== 'string' || typeof b !== 'string') return false;
  const ab = Buffer.from(a, 'utf8');
  const bb = Buffer.from(b, 'utf8');
  if (ab.length !== bb.length) return false;
  return timingSafeEqual(ab, bb);
}
