import cors, { type FastifyCorsOptions } from '@fastify/cors';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { CorsConfig } from '../config/config.js';

/** Request headers a browser app may send: the CSRF token and the headers Services reads. */
export const CORS_ALLOWED_HEADERS = [
  'Accept', 'Content-Type', 'X-CSRF-Token', 'X-HTTP-Method-Override', 'X-Requested-With',
  'Services-User-Login-Version', 'Services-User-Logout-Version',
];
export const CORS_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS'];
/** Seconds a browser may cache a preflight answer. */
const PREFLIGHT_MAX_AGE = 600;

/** Whether a request's Origin header is on the allow-list (`*` allows any origin). */
export function originAllowed(cfg: CorsConfig, origin: string | undefined): origin is string {
  if (!origin) return false;
  return cfg.origins.some((o) => o === '*' || o.toLowerCase() === origin.toLowerCase());
}

/**
 * CORS for hybrid and web apps, off while no origin is configured (the real site sends no CORS headers).
 * An allowed Origin is echoed back (never `*`, so cookies can travel when `credentials` is on), on every
 * route and on errors too. A preflight (OPTIONS with Origin and Access-Control-Request-Method) from an
 * allowed origin is answered here, 204, before routing; it never reaches Services' own OPTIONS handling.
 * Anything else (no Origin, a foreign origin, an OPTIONS that is not a preflight) passes through unchanged.
 */
export function registerCors(app: FastifyInstance, cfg: CorsConfig): void {
  if (cfg.origins.length === 0) return;
  const delegator = (request: FastifyRequest, cb: (err: Error | null, options: FastifyCorsOptions) => void) => {
    const origin = request.headers.origin;
    if (!originAllowed(cfg, origin)) return cb(null, { origin: false });
    const preflight = request.method === 'OPTIONS' && typeof request.headers['access-control-request-method'] === 'string';
    cb(null, {
      origin,
      credentials: cfg.credentials,
      methods: CORS_METHODS,
      allowedHeaders: CORS_ALLOWED_HEADERS,
      maxAge: PREFLIGHT_MAX_AGE,
      preflight,
      strictPreflight: false,
      optionsSuccessStatus: 204,
    });
  };
  // Queued like any plugin: loaded before the server is ready, its hook runs ahead of every route.
  void app.register(cors, { hook: 'onRequest', delegator });
}
