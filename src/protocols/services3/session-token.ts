import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config/config.js';
import type { CoreDeps } from '../../core/core-deps.js';
import { csrfToken } from '../../core/crypto/csrf-token.js';
import { newSessionId } from '../../core/crypto/session-id.js';
import { requestSite } from '../request-site.js';
import { DRUPAL_HEADERS, sendText } from './responder.js';
import { sessionCookieHeader } from './session/session-cookie.js';

/**
 * GET /services/session/token (any method): the CSRF token of the caller's session as text/plain. The token
 * is drupal_get_token() of the session id the cookie carries, so it needs no database read; it starts no
 * session and writes nothing. A visitor without a cookie gets a token for a throw-away id (useless, as on
 * the real site).
 */
export async function handleSessionToken(config: Config, core: CoreDeps, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const site = requestSite(config, request);
  const raw = (request.cookies as Record<string, string | undefined> | undefined)?.[site.cookie.name];
  const sid = raw ? raw : newSessionId();
  const token = csrfToken(sid, core.keys.privateKey, core.keys.hashSalt);
  reply.code(200).headers(DRUPAL_HEADERS);
  // Hardened: a visitor without a cookie gets one (a pre-session nothing is stored for), so the token it is
  // given can be checked at login and registration (login CSRF).
  if (!raw && config.security === 'hardened') reply.header('Set-Cookie', sessionCookieHeader(site.cookie, sid, Date.now()));
  return sendText(reply, 'text/plain;charset=UTF-8', token);
}
