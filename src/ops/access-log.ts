/**
 * One access-log line per request at `info`: method, path, status, milliseconds and the request id (`reqId`,
 * the X-Request-Id the answer carries). Never a secret: bodies (passwords), headers (cookies, CSRF tokens)
 * and query values are not logged, and the secret parts of paths — the hash of one-time login and cancel
 * links — are masked.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';

const MASK = '***';
/** /user/reset/{uid}/{timestamp}/{hash}[/login], /user/{uid}/cancel/confirm/{timestamp}/{hash}. */
const SECRET_PATHS = [/^(.*\/user\/reset\/[^/]*\/[^/]*\/)[^/?]+/, /^(.*\/user\/[^/]*\/cancel\/confirm\/[^/]*\/)[^/?]+/];

/** The request's path fit for a log: query values and link hashes replaced by `***`. */
export function loggablePath(url: string): string {
  const q = url.indexOf('?');
  let path = q < 0 ? url : url.slice(0, q);
  for (const re of SECRET_PATHS) path = path.replace(re, `$1${MASK}`);
  if (q < 0) return path;
  const keys = url.slice(q + 1).split('&').filter(Boolean).map((pair) => {
    const key = pair.split('=')[0];
    return `${key.length > 64 ? `${key.slice(0, 64)}…` : key}=${MASK}`;
  });
  return `${path}?${keys.join('&')}`;
}

export function registerAccessLog(app: FastifyInstance): void {
  app.addHook('onResponse', async (request, reply) => {
    request.log.info({ method: request.method, path: loggablePath(request.originalUrl ?? request.url), status: reply.statusCode, ms: round(reply.elapsedTime) }, 'request');
  });
}

/** The same line for a request answered before the framework (the fast session-token path). */
export function logFastRequest(log: FastifyBaseLogger, req: IncomingMessage, res: ServerResponse, startedMs: number, reqId: string): void {
  log.info({ reqId, method: req.method, path: loggablePath(req.url ?? '/'), status: res.statusCode, ms: round(performance.now() - startedMs) }, 'request');
}

const round = (ms: number) => Math.round(ms * 100) / 100;
