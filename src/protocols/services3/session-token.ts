import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config/config.js';
import { type CoreDeps, depsForRequest } from '../../core/core-deps.js';
import { csrfToken, throwAwayCsrfToken } from '../../core/crypto/csrf-token.js';
import { newSessionId } from '../../core/crypto/session-id.js';
import { sessionCookieValue } from '../request-context.js';
import { requestSite } from '../request-site.js';
import { DRUPAL_HEADERS, sendText } from './responder.js';
import type { CookieSpec } from '../session/session-cookie.js';
import { SessionHandle } from '../session/session-handle.js';

export interface TokenAnswer { token: string; setCookies: string[] }
import { sessionCookieHeader } from '../session/session-cookie.js';

/**
 * What `/services/session/token` answers for a cookie value: drupal_get_token() of the session id the cookie
 * carries (a visitor without a cookie gets one of a throw-away id, useless as on the real site), and the
 * session's end like any request's: a cookie whose session is gone (or holds nothing for a visitor) is
 * deleted (`=deleted`), a logged-in session is touched. Shared by the routed handler and the fast path.
 */
export async function sessionTokenAnswer(core: CoreDeps, cookie: CookieSpec, rawSid: string | null, hostname: string): Promise<TokenAnswer> {
  if (rawSid === null) return { token: throwAwayCsrfToken(newSessionId(), core.keys.privateKey, core.keys.hashSalt), setCookies: [] };
  // The request's own view of the store (PostgreSQL: session, account and roles in one round trip).
  const session = await SessionHandle.open(depsForRequest(core), cookie, rawSid, hostname);
  const token = session.token();
  await session.commit();
  return { token, setCookies: session.setCookies };
}

/** GET /services/session/token (any method): the caller's CSRF token as text/plain. */
export async function handleSessionToken(config: Config, core: CoreDeps, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const site = requestSite(config, request);
  const raw = sessionCookieValue(request, site.cookie.name);
  // Hardened: a visitor without a cookie gets one (a pre-session nothing is stored for), so the token it is
  // given can be checked at login and registration (login CSRF).
  if (!raw && config.security === 'hardened') {
    const sid = newSessionId();
    reply.code(200).headers(DRUPAL_HEADERS).header('Set-Cookie', sessionCookieHeader(site.cookie, sid, Date.now()));
    return sendText(reply, 'text/plain;charset=UTF-8', csrfToken(sid, core.keys.privateKey, core.keys.hashSalt));
  }
  const answer = await sessionTokenAnswer(core, site.cookie, raw ? raw : null, request.ip);
  reply.code(200).headers(DRUPAL_HEADERS);
  if (answer.setCookies.length > 0) reply.header('Set-Cookie', answer.setCookies);
  return sendText(reply, 'text/plain;charset=UTF-8', answer.token);
}
