import { D8_TOKEN_KEYS, d8CsrfToken, ensureSeed, validD8CsrfToken } from '../../core/sessions/csrf-seed.js';
import { forbidden } from './http-error.js';
import type { Drupal8Context } from './request-context.js';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);

/** The token a client sends in X-CSRF-Token (and gets from /session/token and the login answer). */
export function headerToken(ctx: Drupal8Context): string {
  return d8CsrfToken(ensureSeed(ctx.session), ctx.core.keys, D8_TOKEN_KEYS.header);
}

/** The login answer's `csrf_token`: the header key's token (11.4), the `rest` key's before. */
export function loginCsrfToken(ctx: Drupal8Context): string {
  const key = ctx.config.drupal8.version === '11.4' ? D8_TOKEN_KEYS.header : D8_TOKEN_KEYS.rest;
  return d8CsrfToken(ensureSeed(ctx.session), ctx.core.keys, key);
}

/** The `?token=` of logout: the token for the route's path. */
export function logoutToken(ctx: Drupal8Context): string {
  return d8CsrfToken(ensureSeed(ctx.session), ctx.core.keys, D8_TOKEN_KEYS.logout);
}

/**
 * CsrfRequestHeaderAccessCheck: unsafe methods of a logged-in session that came with its cookie need the
 * header; the token of the `rest` key (≤ 11.3) is still accepted.
 */
export function checkHeaderToken(ctx: Drupal8Context): void {
  if (SAFE.has(ctx.request.method) || !ctx.session.authenticated || !ctx.hasCookie) return;
  const token = ctx.request.headers['x-csrf-token'];
  if (token === undefined) throw forbidden('X-CSRF-Token request header is missing');
  const keys = ctx.core.keys;
  if (!validD8CsrfToken(ctx.session, keys, token, D8_TOKEN_KEYS.header) && !validD8CsrfToken(ctx.session, keys, token, D8_TOKEN_KEYS.rest)) {
    throw forbidden('X-CSRF-Token request header is invalid');
  }
}

/** CsrfAccessCheck on `?token=` (logout). */
export function checkLogoutToken(ctx: Drupal8Context): void {
  const token = (ctx.request.query as Record<string, unknown>).token;
  if (token === undefined) throw forbidden("'csrf_token' URL query argument is missing.");
  if (!validD8CsrfToken(ctx.session, ctx.core.keys, token, D8_TOKEN_KEYS.logout)) throw forbidden("'csrf_token' URL query argument is invalid.");
}
