/**
 * CSRF protection of every page form: a double-submit token. The browser holds a random nonce in a cookie
 * (HttpOnly, SameSite=Strict, below the site's base path, for the browser session); each form carries
 * HMAC(form id, nonce, who is logged in and in which session) under the site's keys. Another site can neither
 * read the cookie nor compute the token, so it cannot submit a form in someone's browser; a token minted for
 * one form, session or account is refused by every other.
 */
import { hmacBase64, safeEqual } from '../../core/crypto/hmac.js';
import { randomKey } from '../../core/crypto/random-key.js';
import type { SiteKeys } from '../../core/settings/site-keys.js';

export const WEB_FORM_COOKIE = 'gatehouse_form';

/** What a token is bound to besides its form: the logged-in account and its session id, or the visitor. */
export function sessionBinding(uid: number, rawSid: string | null): string {
  return uid > 0 ? `${uid}:${rawSid ?? ''}` : 'visitor';
}

export class FormGuard {
  /** Set when this request had to mint the nonce: the cookie to send. */
  setCookie: string | null = null;
  private nonce: string;

  constructor(private readonly keys: SiteKeys, cookieNonce: string | undefined, private readonly o: { secure: boolean; path: string }) {
    const valid = typeof cookieNonce === 'string' && /^[A-Za-z0-9_-]{43}$/.test(cookieNonce);
    this.nonce = valid ? (cookieNonce as string) : '';
  }

  /** The token for `formId` under `binding`; mints the browser's nonce on first use. */
  token(formId: string, binding: string): string {
    if (this.nonce === '') {
      this.nonce = randomKey();
      const parts = [`${WEB_FORM_COOKIE}=${this.nonce}`, `Path=${this.o.path}`, 'HttpOnly', 'SameSite=Strict'];
      if (this.o.secure) parts.push('Secure');
      this.setCookie = parts.join('; ');
    }
    return this.sign(formId, binding);
  }

  /** Whether a submitted token is the one this browser's nonce gives for `formId` under `binding`. */
  check(formId: string, binding: string, submitted: string | null): boolean {
    if (this.nonce === '' || !submitted) return false;
    return safeEqual(submitted, this.sign(formId, binding));
  }

  private sign(formId: string, binding: string): string {
    return hmacBase64(`web-form:${formId}:${this.nonce}:${binding}`, this.keys.privateKey + this.keys.hashSalt);
  }
}
