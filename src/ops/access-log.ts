/**
 * One access-log line per request at `info`: method, path, status, milliseconds and the request id (`reqId`,
 * the X-Request-Id the answer carries). Never a secret: bodies (passwords), headers (cookies, CSRF tokens)
 * and query values are not logged, and the secret parts of paths — the hash of one-time login and cancel
 * links — are masked.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import { REDACTED, redactUrl } from './log-redaction.js';

/** The request's path fit for a log: query values and link hashes (log-redaction.ts) replaced by `[redacted]`. */
export function loggablePath(url: string): string {
  const q = url.indexOf('?');
  const path = redactUrl(q < 0 ? url : url.slice(0, q));
  if (q < 0) return path;
  const keys = url.slice(q + 1).split('&').filter(Boolean).map((pair) => {
    const key = pair.split('=')[0];
    return `${key.length > 64 ? `${key.slice(0, 64)}…` : key}=${REDACTED}`;
  });
  return `${path}?${keys.join('&')}`;
}

/**
 * Logs the request once its connection is done with it, whoever answered: a route, the fast session-token
 * path, or the strangler forwarder (which takes the raw response over). The request id is the one the answer
 * carries (X-Request-Id), else the one the client sent, else a new one.
 */
export function logWhenDone(log: FastifyBaseLogger, req: IncomingMessage, res: ServerResponse): void {
  // Asked per request: the level may change while the server runs. Below `info` nothing is prepared.
  if ((log as { isLevelEnabled?: (level: string) => boolean }).isLevelEnabled?.('info') === false) return;
  const started = performance.now();
  res.once('close', () => {
    const answered = res.getHeader('x-request-id');
    const sent = req.headers['x-request-id'];
    const reqId = typeof answered === 'string' ? answered : typeof sent === 'string' && sent !== '' ? sent : randomUUID();
    const line = { reqId, method: req.method, path: loggablePath(req.url ?? '/'), status: res.statusCode, ms: round(performance.now() - started) };
    log.info(res.writableFinished ? line : { ...line, aborted: true }, 'request');
  });
}

const round = (ms: number) => Math.round(ms * 100) / 100;
