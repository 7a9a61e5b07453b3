import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config/config.js';
import type { CoreDeps } from '../../core/core-deps.js';
import { requestSite } from '../request-site.js';
import { DRUPAL_HEADERS, sendText } from './responder.js';
import { SessionHandle } from './session/session-handle.js';

/**
 * GET /services/session/token (any method): the CSRF token of the caller's session as text/plain. It starts
 * no session; a visitor without a cookie gets a token for a throw-away id (useless, as on the real site).
 */
export async function handleSessionToken(config: Config, core: CoreDeps, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const site = requestSite(config, request);
  const raw = (request.cookies as Record<string, string | undefined> | undefined)?.[site.cookie.name];
  const session = await SessionHandle.open(core, site.cookie, raw ? raw : null, request.ip);
  const token = session.token();
  await session.commit();
  reply.code(200).headers(DRUPAL_HEADERS);
  if (session.setCookies.length > 0) reply.header('Set-Cookie', session.setCookies);
  return sendText(reply, 'text/plain;charset=UTF-8', token);
}
