import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config/config.js';
import { type CoreDeps, depsForRequest } from '../../core/core-deps.js';
import { domainError, GatehouseError } from '../../core/errors.js';
import { markClientFault } from '../../ops/route-label.js';
import { openRequestContext } from '../request-context.js';
import { requestSite } from '../request-site.js';
import { mapArguments } from './arguments.js';
import type { EndpointRuntime } from './endpoint.js';
import { toServicesError } from './error-status.js';
import { negotiateFormat } from './formats/negotiate.js';
import { parseRequestBody } from './parsers/index.js';
import type { InvocationContext, OperationSpec } from './resource.js';
import { DRUPAL_HEADERS, send, sendText } from './responder.js';
import { resolveController } from './router.js';
import { authenticateRequest, checkRequest } from './auth/index.js';

const FORMAT_SUFFIX = /^(.*)\.([^./^]+)$/;
/** User operations an anonymous caller needs a CSRF token for in the hardened profile (login CSRF). */
const ANONYMOUS_CSRF = new Set(['login', 'register', 'create']);

export interface PipelineDeps {
  config: Config; core: CoreDeps; endpoint: EndpointRuntime;
  /** Strangler mode: resources and operations this endpoint does not serve go to the legacy site. */
  forward?: (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply>;
}

/**
 * One Services request, in the module's order: resource → HEAD/OPTIONS → controller → format → body →
 * arguments → session user and CSRF → access → callback → formatter. Errors before the formatter exists
 * answer with an empty body; later ones are rendered in the negotiated format.
 */
export async function handleServicesRequest(d: PipelineDeps, request: FastifyRequest, reply: FastifyReply, canonical: string): Promise<FastifyReply> {
  const { config, endpoint } = d;
  const core = depsForRequest(d.core);
  const query = (request.query ?? {}) as Record<string, unknown>;
  const site = requestSite(config, request);
  const realMethod = request.method.toUpperCase();
  const base = { setCookies: [] as string[], query, vary: false, format: null, reason: null as string | null };

  if (canonical === '') {
    reply.code(200).headers(DRUPAL_HEADERS);
    return sendText(reply, 'text/html; charset=UTF-8', `Services Endpoint "${endpoint.config.name}" has been setup successfully.`);
  }
  const { path, suffix } = splitCanonical(canonical);
  const resource = endpoint.resources.get(path[0]);
  if (!resource) return d.forward ? d.forward(request, reply) : send(reply, { ...base, ...toOutcome(domainError('resource_not_found', { name: path[0] })) });
  if (realMethod === 'HEAD') return sendText(reply.code(200).headers(DRUPAL_HEADERS), 'text/html; charset=UTF-8', '');
  if (realMethod === 'OPTIONS') return sendText(reply.code(200).headers(DRUPAL_HEADERS), 'text/html; charset=UTF-8', '');

  let method = realMethod;
  if (realMethod === 'POST') {
    const override = typeof query._method === 'string' && query._method !== '' ? query._method : request.headers['x-http-method-override'];
    if (typeof override === 'string' && override !== '') method = override.toUpperCase();
  }
  delete query._method;
  const controller = resolveController(resource, method, path.slice(1));
  if (!controller) return d.forward ? d.forward(request, reply) : send(reply, { ...base, ...toOutcome(domainError('controller_not_found')) });

  const negotiation = negotiateFormat({ suffix, accept: request.headers.accept, enabled: endpoint.config.formatters, defaultFormat: endpoint.config.defaultFormat });
  if (!negotiation.ok) {
    if (negotiation.malformed) {
      markClientFault(request);
      request.log.warn({ accept: request.headers.accept }, 'client error: unparseable Accept (answered 500, as Drupal did)');
      return send(reply, { ...base, vary: negotiation.vary, ...toOutcome(new GatehouseError('internal')), bodyless: true });
    }
    return send(reply, { ...base, vary: negotiation.vary, ...toOutcome(domainError('unknown_format')) });
  }
  const format = { name: negotiation.format, mime: negotiation.mime };
  const out = { ...base, format, vary: negotiation.vary };

  const hostname = request.ip;
  const session = await authenticateRequest(endpoint.authentication, { core, request, cookie: site.cookie, hostname });
  let result: unknown;
  try {
    let data: unknown;
    if (method === 'POST' || method === 'PUT') {
      data = await parseRequestBody({ contentType: request.headers['content-type'], body: bodyBuffer(request), enabled: endpoint.config.parsers, limits: config.parserLimits });
    }
    const spec = versioned(controller.spec, controller.name, resource.name, request, endpoint);
    const args = mapArguments(spec.args, { path: controller.path, query, data });
    checkRequest(endpoint.authentication, { request, session, query, data, method: realMethod, csrfExempt: spec.csrfExempt === true,
      anonymousCsrf: config.security === 'hardened' && resource.name === 'user' && ANONYMOUS_CSRF.has(controller.name) });
    const { caller } = await openRequestContext(config, core, request, { site, session });
    const ctx: InvocationContext = {
      deps: core, caller, session, query, headers: request.headers, loaded: new Map(),
      endpoint: {
        name: endpoint.config.name, path: endpoint.config.path, baseUrl: site.baseUrl,
        resourcePath: (r) => `${site.baseUrl}/${endpoint.config.path}/${endpoint.urlName(r)}`,
      },
    };
    if (!(await spec.access(ctx, args))) throw domainError('access_denied', { name: session.actor.uid === 0 ? 'anonymous' : session.actor.name });
    result = await spec.handler(ctx, args);
  } catch (err) {
    if (!(err instanceof GatehouseError)) request.log.error({ err }, 'services request failed');
    else if (err.details.clientFault) {
      markClientFault(request);
      request.log.warn({ contentType: request.headers['content-type'], reason: err.message }, 'client error: unparseable Content-Type (answered 500, as Drupal did)');
    }
    if (err instanceof GatehouseError && err.details.messages) session.flash(err.details.messages);
    if (err instanceof GatehouseError && err.details.retryAfter !== undefined) reply.header('Retry-After', String(err.details.retryAfter));
    await session.commit();
    return send(reply, { ...out, ...toOutcome(err), setCookies: session.setCookies });
  }
  await session.commit();
  return send(reply, { ...out, status: 200, body: result, setCookies: session.setCookies });
}

/** The canonical path split into segments, with its `.format` suffix taken off the last one (§2). */
export function splitCanonical(canonical: string): { path: string[]; suffix: string | null } {
  const m = FORMAT_SUFFIX.exec(canonical);
  return { path: (m ? m[1] : canonical).split('/'), suffix: m ? m[2] : null };
}

function toOutcome(err: unknown): { status: number; reason: string; body: unknown; bodyless: boolean; retryAfter?: number } {
  const e = toServicesError(err);
  return { status: e.status, reason: e.reason, body: e.body, bodyless: e.bodyless, retryAfter: e.retryAfter };
}

/** The raw request body (our catch-all content-type parser keeps it as a Buffer). */
function bodyBuffer(request: FastifyRequest): Buffer {
  const body = request.body;
  if (Buffer.isBuffer(body)) return body;
  if (typeof body === 'string') return Buffer.from(body);
  return Buffer.alloc(0);
}

/** The variant of a versioned method: the request header `Services-<Resource>-<Method>-Version`, else the endpoint's setting. */
function versioned(spec: OperationSpec, name: string, resource: string, request: FastifyRequest, endpoint: EndpointRuntime): OperationSpec {
  if (!spec.versions) return spec;
  const header = request.headers[`services-${resource}-${name}-version`.toLowerCase()];
  const configured = resource === 'user' && (name === 'login' || name === 'logout') ? endpoint.config.loginApiVersion : '1.0';
  const version = typeof header === 'string' && header !== '' ? header : configured;
  const variant = Object.entries(spec.versions).filter(([v]) => Number(v) <= Number(version)).sort((a, b) => Number(b[0]) - Number(a[0]))[0];
  return variant ? { ...spec, ...variant[1] } : spec;
}
