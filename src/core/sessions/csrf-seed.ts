import { randomBytes } from 'node:crypto';
import { hmacBase64, safeEqual } from '../crypto/hmac.js';
import type { SiteKeys } from '../settings/site-keys.js';

/**
 * Drupal 8+'s CSRF tokens (lib/Drupal/Core/Access/CsrfTokenGenerator.php): not bound to the session id as
 * in Drupal 7, but to a random seed kept in the session's metadata (`_sf2_meta['s']`). Here the seed lives
 * in the same session data Drupal 7 tokens come from, so one session answers both dialects' tokens.
 *
 * token = Crypt::hmacBase64(value . seed, private_key . hash_salt)
 */

/** The token keys Drupal 8+ uses: the REST header token (11.4), its older key (≤ 11.3), the logout route. */
export const D8_TOKEN_KEYS = { header: 'X-CSRF-Token request header', rest: 'rest', logout: 'user/logout' } as const;

/** Where the seed is kept in the session data: Symfony's metadata bag, as Drupal 8+ names it. */
const META_KEY = '_sf2_meta';

/** What a seed needs from a session: its stored values, and whether it is persisted (a logged-in session). */
export interface SeededSession {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  readonly authenticated: boolean;
}

/** The session's seed, if it has one. */
export function sessionSeed(session: SeededSession): string | null {
  const meta = session.get(META_KEY);
  const seed = meta && typeof meta === 'object' ? (meta as Record<string, unknown>).s : undefined;
  return typeof seed === 'string' && seed !== '' ? seed : null;
}

/**
 * The seed, created when missing (a session started by the other dialect, or a login). A visitor's seed is
 * not kept: it makes no session exist, so each call gets a new one, and its tokens are useless (as in Drupal).
 */
export function ensureSeed(session: SeededSession): string {
  const existing = sessionSeed(session);
  if (existing) return existing;
  const seed = randomBytes(32).toString('base64url');
  if (session.authenticated) {
    const meta = session.get(META_KEY);
    session.set(META_KEY, { ...(meta && typeof meta === 'object' ? meta : {}), s: seed });
  }
  return seed;
}

/** CsrfTokenGenerator::get($value). */
export function d8CsrfToken(seed: string, keys: SiteKeys, value: string): string {
  return hmacBase64(value + seed, keys.privateKey + keys.hashSalt);
}

/** CsrfTokenGenerator::validate(): false without a seed or for a token that is not the one for `value`. */
export function validD8CsrfToken(session: SeededSession, keys: SiteKeys, token: unknown, value: string): boolean {
  const seed = sessionSeed(session);
  if (seed === null || typeof token !== 'string' || token === '') return false;
  return safeEqual(token, d8CsrfToken(seed, keys, value));
}
