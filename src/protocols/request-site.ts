import type { FastifyRequest } from 'fastify';
import type { Config } from '../config/config.js';
import { cookieDomain, sessionCookieName } from '../core/crypto/cookie-name.js';
import type { CookieSpec } from './session/session-cookie.js';

/** What a request tells about the site it reached: scheme, host, base URL, the session cookie's name. */
export interface RequestSite {
  https: boolean;
  host: string;
  baseUrl: string;
  basePath: string;
  cookie: CookieSpec;
}

/**
 * Drupal's drupal_settings_initialize for one request: $base_url from configuration or from the Host
 * header; the cookie name from $cookie_domain, else from the base URL without its scheme. The scheme comes
 * from the connection, or from X-Forwarded-Proto when the peer is a trusted proxy (Fastify's trustProxy).
 */
export function requestSite(config: Config, request: FastifyRequest): Readonly<RequestSite> {
  const https = request.protocol === 'https';
  const host = (request.headers.host ?? `${config.host}:${config.port}`).toLowerCase();
  // A pure function of the configuration, the scheme and the Host: worked out once per distinct pair (bounded).
  let known = sitesByConfig.get(config);
  if (!known) sitesByConfig.set(config, (known = new Map()));
  const key = `${https ? 's' : ''}|${host}`;
  let site = known.get(key);
  if (site === undefined) {
    site = Object.freeze(siteFor(config, https, host));
    if (known.size >= 1000) known.clear();
    known.set(key, site);
  }
  return site;
}

const sitesByConfig = new WeakMap<Config, Map<string, Readonly<RequestSite>>>();

function siteFor(config: Config, https: boolean, host: string): RequestSite {
  let baseUrl: string;
  let basePath = '';
  if (config.baseUrl) {
    const u = new URL(config.baseUrl);
    basePath = u.pathname.replace(/\/+$/, '');
    baseUrl = config.baseUrl.replace(/\/+$/, '');
  } else {
    baseUrl = `${https ? 'https' : 'http'}://${host}`;
  }
  const cookieInput = config.baseUrl ? baseUrl.replace(/^https?:\/\//, '') : host + basePath;
  const name = cachedCookieName(cookieInput, https, config.cookieDomain);
  const domain = cookieDomain({ host: config.baseUrl ? new URL(config.baseUrl).host : host, cookieDomain: config.cookieDomain });
  const hardened = config.security === 'hardened';
  const cookie: CookieSpec = { name, domain, secure: https || hardened, lifetime: config.cookieLifetime, ...(hardened ? { sameSite: 'Lax' as const } : {}) };
  return { https, host, baseUrl, basePath, cookie };
}

const cookieNames = new Map<string, string>();

/** The cookie name is a SHA-256 per (host, scheme): computed once per distinct Host header (bounded). */
export function cachedCookieName(input: string, https: boolean, domain: string | null): string {
  const key = `${https ? 's' : ''}|${domain ?? ''}|${input}`;
  let name = cookieNames.get(key);
  if (name === undefined) {
    name = sessionCookieName({ host: input, basePath: '', https, cookieDomain: domain });
    if (cookieNames.size > 1000) cookieNames.clear();
    cookieNames.set(key, name);
  }
  return name;
}
