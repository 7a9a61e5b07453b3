import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { domainError, GatehouseError } from '../../core/errors.js';
import type { EndpointRuntime } from './endpoint.js';
import { toServicesError } from './error-status.js';
import { negotiateFormat } from './formats/negotiate.js';
import { splitCanonical } from './pipeline.js';
import { send } from './responder.js';

/** Where a request was going inside an endpoint, when the framework failed before the pipeline ran. */
export interface ServicesTarget { endpoint: EndpointRuntime; canonical: string }

/**
 * Errors the HTTP layer raises around a Services route (body over the size limit, a broken Content-Length
 * or chunked body, an exception that escaped the pipeline), answered the way Services answers: the
 * message on the status line, the body in the negotiated format (`["Request body is too large."]`,
 * `<result>…</result>`), and for anything unexpected `500 Internal Server Error : An error occurred.`
 * with an empty body and nothing of the exception on the wire.
 */
export function sendFrameworkError(request: FastifyRequest, reply: FastifyReply, err: FastifyError, target: ServicesTarget | null): FastifyReply {
  const status = typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
  if (status === 500) request.log.error({ err }, 'services request failed');
  const query = (request.query ?? {}) as Record<string, unknown>;
  const base = { setCookies: [] as string[], query, vary: false, format: null };
  if (status === 500) return send(reply, { ...base, ...toServicesError(new GatehouseError('internal')) });
  const e = status === 413
    ? toServicesError(domainError('payload_too_large'))
    : { status, reason: `: Bad request.`, body: 'Bad request.', bodyless: false };
  if (!target) return send(reply, { ...base, ...e, bodyless: true });
  const { suffix } = splitCanonical(target.canonical);
  const cfg = target.endpoint.config;
  let negotiation;
  try {
    negotiation = negotiateFormat({ suffix, accept: request.headers.accept, enabled: cfg.formatters, defaultFormat: cfg.defaultFormat });
  } catch {
    return send(reply, { ...base, ...e, bodyless: true });
  }
  if (!negotiation.ok) return send(reply, { ...base, ...e, vary: negotiation.vary, bodyless: true });
  return send(reply, { ...base, ...e, vary: negotiation.vary, format: { name: negotiation.format, mime: negotiation.mime } });
}
