import type { FastifyRequest } from 'fastify';
import { safeEqual } from '../../../core/crypto/hmac.js';
import { domainError } from '../../../core/errors.js';
import { sessionCookieValue } from '../../request-context.js';
import { SessionHandle } from '../../session/session-handle.js';
import type { AuthenticationCheck, AuthenticationPlugin, AuthenticationRequest } from './authentication-plugin.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);

/**
 * Services' session authentication (`services` in services_endpoint.authentication): the Drupal session the
 * cookie names, and for a logged-in user the CSRF rule on unsafe methods (services_session_authenticate_call).
 */
export const sessionAuthentication: AuthenticationPlugin = {
  name: 'session',
  async authenticate(r: AuthenticationRequest) {
    return SessionHandle.open(r.core, r.cookie, sessionCookieValue(r.request, r.cookie.name), r.hostname);
  },
  check(c: AuthenticationCheck) {
    if (c.csrfExempt || SAFE_METHODS.has(c.method)) return;
    if (!c.session.authenticated) {
      // Login CSRF (hardened): the token /services/session/token gave along with a pre-session cookie.
      if (!c.anonymousCsrf) return;
      const token = csrfTokenOf(c.request, c.query, c.data);
      if (c.session.rawSid === null || token === null || !safeEqual(token, c.session.token())) throw domainError('csrf_failed');
      return;
    }
    const token = csrfTokenOf(c.request, c.query, c.data);
    if (token === null || !safeEqual(token, c.session.token())) throw domainError('csrf_failed');
  },
};

/** X-CSRF-Token, else `services_token` from the query or a form-encoded POST body (never a JSON body). */
function csrfTokenOf(request: FastifyRequest, query: Record<string, unknown>, data: unknown): string | null {
  const header = request.headers['x-csrf-token'];
  if (typeof header === 'string') return header;
  if (typeof query.services_token === 'string') return query.services_token;
  const type = String(request.headers['content-type'] ?? 'application/x-www-form-urlencoded').split(';')[0].trim();
  if (request.method === 'POST' && (type === 'application/x-www-form-urlencoded' || type === 'multipart/form-data') && data && typeof data === 'object') {
    const t = (data as Record<string, unknown>).services_token;
    if (typeof t === 'string') return t;
  }
  return null;
}
