import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Config } from '../../config/config.js';
import type { CoreDeps } from '../../core/core-deps.js';
import { cookieDomain } from '../../core/crypto/cookie-name.js';
import { GatehouseError } from '../../core/errors.js';
import { cachedCookieName } from '../request-site.js';
import { toServicesError } from './error-status.js';
import { DRUPAL_HEADERS } from './responder.js';
import { sessionTokenAnswer } from './session-token.js';

const TOKEN_PATH = '/services/session/token';
const HEADERS = { 'Content-Type': 'text/plain;charset=UTF-8', ...DRUPAL_HEADERS };

/**
 * `GET /services/session/token` answered before the framework: apps call it before every write. Only for the
 * plain case — no trusted proxies (scheme and address from headers), no CORS, no `$base_url`, no request
 * body — everything else falls through to the Fastify route. Both answer through sessionTokenAnswer (the same
 * token, the same deletion of a dead session's cookie). Returns true when it took the request.
 */
export function createFastSessionToken(config: Config, core: CoreDeps, o: FastPathHooks = {}): (req: IncomingMessage, res: ServerResponse) => boolean {
  const eligible = config.trustedProxies.length === 0 && config.cors.origins.length === 0 && config.baseUrl === null && config.security !== 'hardened';
  return (req, res) => {
    // Closing: the framework answers (503, Connection: close), as it does for every other path.
    if (!eligible || o.closing?.() || !req.url?.startsWith(TOKEN_PATH) || (req.url.length > TOKEN_PATH.length && req.url[TOKEN_PATH.length] !== '?')) return false;
    if ((req.socket as { encrypted?: boolean }).encrypted) return false;
    // A request with a body goes through the framework, which reads it (and applies the body limit).
    if (req.headers['transfer-encoding'] !== undefined || (req.headers['content-length'] ?? '0') !== '0') return false;
    const started = performance.now();
    const host = (req.headers.host ?? `${config.host}:${config.port}`).toLowerCase();
    const cookie = { name: cachedCookieName(host, false, config.cookieDomain), domain: cookieDomain({ host, cookieDomain: config.cookieDomain }), secure: false, lifetime: config.cookieLifetime };
    // The request id the client or a proxy sent, else a new one: as registerOps gives every routed answer.
    const id = req.headers['x-request-id'];
    const requestId = typeof id === 'string' ? id : randomUUID();
    sessionTokenAnswer(core, cookie, cookieValue(req.headers.cookie, cookie.name), req.socket.remoteAddress ?? '').then(({ token, setCookies }) => {
      const headers: Record<string, string | string[]> = { ...HEADERS };
      if (setCookies.length > 0) headers['Set-Cookie'] = setCookies;
      headers['X-Request-Id'] = requestId;
      headers['Content-Length'] = String(Buffer.byteLength(token));
      res.writeHead(200, headers);
      res.end(token);
      o.observe?.(req.method ?? 'GET', 200, (performance.now() - started) / 1000);
    }, () => {
      const e = toServicesError(new GatehouseError('internal'));
      res.writeHead(e.status, e.reason, { ...DRUPAL_HEADERS, 'X-Request-Id': requestId, 'Content-Length': '0' });
      res.end();
      o.observe?.(req.method ?? 'GET', e.status, (performance.now() - started) / 1000);
    });
    return true;
  };
}

/** What the server tells the fast path: whether it is closing, and where answers are counted. */
export interface FastPathHooks {
  closing?: () => boolean;
  observe?: (method: string, status: number, seconds: number) => void;
}

/** One cookie's value from a Cookie header (the first occurrence wins, as in PHP's $_COOKIE). */
function cookieValue(header: string | undefined, name: string): string | null {
  if (!header) return null;
  let found: string | null = null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) { found = part.slice(eq + 1).trim(); break; }
  }
  if (found === null || found === '') return null;
  try { return decodeURIComponent(found); } catch { return found; }
}
