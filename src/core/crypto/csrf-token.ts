/**
 * CSRF tokens: drupal_get_token() / drupal_valid_token() ([D7] includes/common.inc).
 *
 * token = drupal_hmac_base64(value, session_id . drupal_private_key . hash_salt), where session_id is the
 * RAW cookie value (not the hashed `sessions.sid`). Services uses value = 'services'.
 */
import { hmacBase64, safeEqual } from './hmac.js';

export function csrfToken(sessionId: string, privateKey: string, hashSalt: string, value = 'services'): string {
  return hmacBase64(value, sessionId + privateKey + hashSalt);
}

/**
 * drupal_valid_token(): true only when `token` is a string equal to the freshly computed token
 * (compared in constant time; an empty or non-string token never validates).
 */
export function validCsrfToken(
  token: unknown,
  sessionId: string,
  privateKey: string,
  hashSalt: string,
  value = 'services',
): boolean {
  if (typeof token !== 'string' || token === '') return false;
  return safeEqual(token, csrfToken(sessionId, privateKey, hashSalt, value));
}
