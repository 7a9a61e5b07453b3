/**
 * Secrets that travel in URLs never reach the log, at any level: the hash of a one-time link
 * (`user/reset/{uid}/{timestamp}/{hash}`, `user/{uid}/cancel/confirm/{timestamp}/{hash}`, clean or `?q=`)
 * and the values of `services_token`, `pass-reset-token` and `token` query parameters.
 */
import type { FastifyRequest } from 'fastify';

const LINK_HASH = /(user(?:\/|%2F)reset(?:\/|%2F)\d+(?:\/|%2F)\d+(?:\/|%2F)|user(?:\/|%2F)\d+(?:\/|%2F)cancel(?:\/|%2F)confirm(?:\/|%2F)\d+(?:\/|%2F))[^/?&#%\s"]+/gi;
const SECRET_PARAM = /([?&](?:services_token|pass-reset-token|token)=)[^&#\s"]*/gi;

/** What stands in a log line where a secret was. */
export const REDACTED = '[redacted]';

/** What a URL must hold for one of the patterns above to match it (most hold none of it). */
const MAY_HOLD_SECRET = /[?&]|reset|cancel/i;

export function redactUrl(url: string): string {
  if (!MAY_HOLD_SECRET.test(url)) return url;
  return url.replace(LINK_HASH, `$1${REDACTED}`).replace(SECRET_PARAM, `$1${REDACTED}`);
}

/** Fastify's request serializer (method, url, host, remote address) with the URL redacted. */
export function redactingRequestSerializer(request: FastifyRequest): Record<string, unknown> {
  return {
    method: request.method, url: redactUrl(request.url), host: request.host,
    remoteAddress: request.ip, remotePort: request.socket?.remotePort,
  };
}

/** A pino `url` field, wherever a log line carries one. */
export const redactingSerializers = {
  req: redactingRequestSerializer,
  url: (url: unknown) => (typeof url === 'string' ? redactUrl(url) : url),
  originalUrl: (url: unknown) => (typeof url === 'string' ? redactUrl(url) : url),
};
