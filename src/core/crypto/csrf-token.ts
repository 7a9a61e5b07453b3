/**
 * CSRF tokens: drupal_get_token() / drupal_valid_token() ([D7] includes/common.inc).
 *
 * token = drupal_hmac_base64(value, session_id . drupal_private_key . hash_salt), where session_id is the
 * RAW cookie value (not the hashed `sessions.sid`). Services uses value = 'services'.
 */
import { boundedMemo } from '../../lib/bounded-memo.js';
import { hmacBase64, safeEqual } from './hmac.js';

/** HMAC(value, key) for `value` NUL `key`: the token of a session is asked on every request that sends one. */
const rememberedHmac = boundedMemo((valueAndKey) => {
  const nul = valueAndKey.indexOf('\0');
  return hmacBase64(valueAndKey.slice(0, nul), valueAndKey.slice(nul + 1));
});

/** The token of a throw-away id (a visitor without a cookie): not remembered, it is never asked for again. */
export function throwAwayCsrfToken(sessionId: string, privateKey: string, hashSalt: string): string {
  return hmacBase64('services', sessionId + privateKey + hashSalt);
}

export function csrfToken(sessionId: string, privateKey: string, hashSalt: string, value = 'services'): string {
  // A value with a NUL in it (never one of ours) is not remembered: the split above would be ambiguous.
  if (value.includes('\0')) return hmacBase64(value, sessionId + privateKey + hashSalt);
  return rememberedHmac(`${value}\0${sessionId}${privateKey}${hashSalt}`);
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
