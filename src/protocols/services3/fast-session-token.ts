import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Config } from '../../config/config.js';
import { csrfToken } from '../../core/crypto/csrf-token.js';
import { newSessionId } from '../../core/crypto/session-id.js';
import type { SiteKeys } from '../../core/settings/site-keys.js';
import { cachedCookieName } from '../request-site.js';
import { DRUPAL_HEADERS } from './responder.js';

const TOKEN_PATH = '/services/session/token';
const HEADERS = { 'Content-Type': 'text/plain;charset=UTF-8', ...DRUPAL_HEADERS };

/**
 * `GET /services/session/token` answered before the framework: apps call it before every write, and it needs
 * nothing but the cookie and an HMAC. Only for the plain case — no trusted proxies (scheme and address
 * from headers), no CORS, no `$base_url`, no request body — everything else falls through to the Fastify route, which answers
 * the same bytes. Returns true when it answered.
 */
export function createFastSessionToken(config: Config, keys: SiteKeys, observe?: (seconds: number) => void): (req: IncomingMessage, res: ServerResponse) => boolean {
  const eligible = config.trustedProxies.length === 0 && config.cors.origins.length === 0 && config.baseUrl === null && config.security !== 'hardened';
  const tokens = new TokenCache(keys);
  return (req, res) => {
    if (!eligible || !req.url?.startsWith(TOKEN_PATH) || (req.url.length > TOKEN_PATH.length && req.url[TOKEN_PATH.length] !== '?')) return false;
    if ((req.socket as { encrypted?: boolean }).encrypted) return false;
    // A request with a body goes through the framework, which reads it (and applies the body limit).
    if (req.headers['transfer-encoding'] !== undefined || (req.headers['content-length'] ?? '0') !== '0') return false;
    const started = performance.now();
    const host = (req.headers.host ?? `${config.host}:${config.port}`).toLowerCase();
    const name = cachedCookieName(host, false, config.cookieDomain);
    const sid = cookieValue(req.headers.cookie, name);
    const token = sid === null ? csrfToken(newSessionId(), keys.privateKey, keys.hashSalt) : tokens.get(sid);
    const id = req.headers['x-request-id'];
    res.writeHead(200, typeof id === 'string' ? { ...HEADERS, 'X-Request-Id': id } : HEADERS);
    res.end(token);
    if (observe) observe((performance.now() - started) / 1000);
    return true;
  };
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

/** Tokens are a pure function of the session id: the recent ones are kept (bounded) instead of re-hashed. */
class TokenCache {
  private readonly map = new Map<string, string>();
  constructor(private readonly keys: SiteKeys, private readonly max = 10_000) {}

  get(sid: string): string {
    let token = this.map.get(sid);
    if (token === undefined) {
      token = csrfToken(sid, this.keys.privateKey, this.keys.hashSalt);
      if (this.map.size >= this.max) this.map.clear();
      this.map.set(sid, token);
    }
    return token;
  }
}
