/**
 * The reset page's own CSRF protection: a double-submit token bound to a short-lived signed value.
 *
 * GET issues a random nonce in a cookie (HttpOnly, SameSite=Strict, path {base}/user/reset/) and puts in the form
 * `{issuedAt}.{HMAC(issuedAt:nonce:link, site secret)}`. POST accepts the form only with the same browser's
 * cookie, an untampered signature for that very link, and an age under FORM_TOKEN_TTL. Another site can
 * neither read the cookie nor forge the signature, so it cannot post the form in someone's browser (which
 * would log that browser in to an account of the attacker's choosing).
 */
import { hmacBase64, safeEqual } from '../../core/crypto/hmac.js';
import { randomKey } from '../../core/crypto/random-key.js';
import type { SiteKeys } from '../../core/settings/site-keys.js';

/** Seconds a rendered form stays valid. */
export const FORM_TOKEN_TTL = 900;
export const FORM_COOKIE = 'gatehouse_reset_form';

export type FormTokenProblem = 'missing' | 'malformed' | 'expired' | 'forged';

function sign(keys: SiteKeys, issuedAt: number, nonce: string, link: string): string {
  return hmacBase64(`reset-form:${issuedAt}:${nonce}:${link}`, keys.privateKey + keys.hashSalt);
}

/** A fresh nonce (for the cookie) and the form token that goes with it, for the link `uid/timestamp/hash`. */
export function issueFormToken(keys: SiteKeys, link: string, now: number): { nonce: string; token: string } {
  const nonce = randomKey();
  return { nonce, token: `${now}.${sign(keys, now, nonce, link)}` };
}

/** null when the token is good for this browser (its cookie nonce) and link at `now`, else what is wrong. */
export function checkFormToken(keys: SiteKeys, link: string, token: unknown, nonce: unknown, now: number): FormTokenProblem | null {
  if (typeof token !== 'string' || token === '' || typeof nonce !== 'string' || nonce === '') return 'missing';
  const m = /^(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!m) return 'malformed';
  const issuedAt = Number(m[1]);
  if (!safeEqual(m[2], sign(keys, issuedAt, nonce, link))) return 'forged';
  if (issuedAt > now + 60 || now - issuedAt > FORM_TOKEN_TTL) return 'expired';
  return null;
}

/** The Set-Cookie value carrying the nonce (and the one that deletes it). */
export function formCookieHeader(nonce: string | null, o: { secure: boolean; path: string }): string {
  const parts = [`${FORM_COOKIE}=${nonce ?? 'deleted'}`, `Max-Age=${nonce ? FORM_TOKEN_TTL : 0}`, `Path=${o.path}`, 'HttpOnly', 'SameSite=Strict'];
  if (o.secure) parts.push('Secure');
  return parts.join('; ');
}
