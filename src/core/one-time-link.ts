/**
 * One-time login links ([D7] 7.103 modules/user/user.module user_pass_rehash, user_pass_reset_url).
 *
 * hash = drupal_hmac_base64("{timestamp}:{login}:{uid}:{mail}", hash_salt . stored password hash)
 *
 * - `login` is the account's last-login timestamp (0 if never), so any later login invalidates the link;
 * - the stored password hash is part of the key, so a password change invalidates it;
 * - in 7.103 the account's mail takes part (with ':' separators), so a mail change invalidates it too.
 *   `mail` defaults to '' (Drupal's `$mail = ''` parameter default) for callers that do not pass it.
 * Verified against the vector in drupal-internals.md §4.
 *
 * URL: `{base_url}/user/reset/{uid}/{timestamp}/{hash}`; oneTimeLoginPath() returns the part after the
 * base URL, without a leading slash (Drupal builds it with url("user/reset/…", absolute)).
 */
import { hmacBase64, safeEqual } from './crypto/hmac.js';

export interface PassRehashInput {
  /** The stored `users.pass` value (e.g. `$S$D…`, or an argon2 string after migration). */
  passHash: string;
  /** Issue time of the link (seconds). */
  timestamp: number;
  /** The account's `login` column (0 if it never logged in). */
  login: number;
  uid: number;
  mail?: string;
  privateKey?: string;
  hashSalt: string;
}

/**
 * user_pass_rehash(). `privateKey` is accepted for call-site symmetry with the CSRF helpers but is
 * NOT used: Drupal 7 keys this HMAC with hash_salt + password hash only.
 */
export function userPassRehash(o: PassRehashInput): string {
  const data = `${o.timestamp}:${o.login}:${o.uid}:${o.mail ?? ''}`;
  return hmacBase64(data, o.hashSalt + o.passHash);
}

/** Constant-time check of a link's hash against the expected user_pass_rehash() value. */
export function validPassRehash(hash: unknown, o: PassRehashInput): boolean {
  return typeof hash === 'string' && hash !== '' && safeEqual(hash, userPassRehash(o));
}

/** `user/reset/{uid}/{timestamp}/{hash}` (relative to the base URL). */
export function oneTimeLoginPath(uid: number | string, timestamp: number, hash: string): string {
  return `user/reset/${uid}/${timestamp}/${hash}`;
}
