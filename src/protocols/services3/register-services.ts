import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config/config.js';
import type { CoreDeps } from '../../core/core-deps.js';
import { registerCors } from '../cors.js';
import { buildEndpoint, type EndpointRuntime } from './endpoint.js';
import { sendFrameworkError, type ServicesTarget } from './framework-errors.js';
import { handleServicesRequest, type PipelineDeps } from './pipeline.js';
import type { ResourceSpec } from './resource.js';
import { handleSessionToken } from './session-token.js';

/** Every method reaches the Services router (it answers 404, never 405, for what it does not serve). */
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH'] as const;
const TOKEN_PATH = 'services/session/token';

/**
 * Fastify answers 415 itself for a Content-Type it cannot parse (`a/b/c`, `;`, `x`), before any parser runs;
 * Services reads the header itself (406 "Unsupported request content type", or its own rules). So on these
 * routes the header is set aside while Fastify reads the body (as raw bytes) and put back before the handler.
 */
const setAside = new WeakMap<FastifyRequest, string | string[]>();
const ROUTE_HOOKS = {
  onRequest: (request: FastifyRequest, _reply: FastifyReply, done: () => void) => {
    const type = request.headers['content-type'];
    if (type !== undefined) {
      setAside.set(request, type);
      request.headers['content-type'] = 'application/octet-stream';
    }
    done();
  },
  preValidation: (request: FastifyRequest, _reply: FastifyReply, done: () => void) => {
    const type = setAside.get(request);
    if (type !== undefined) request.headers['content-type'] = type as string;
    done();
  },
};

/** The path below the endpoint, decoded the way Drupal's `q` arrives. */
function canonicalOf(url: string, prefix: string): string {
  const path = url.split('?')[0];
  const rest = path === prefix ? '' : path.slice(prefix.length + 1);
  try { return decodeURIComponent(rest); } catch { return rest; }
}

/** `?q=` (clean URLs off): Drupal's path from the query, leading slashes dropped; null without a string `q`. */
function queryPath(request: FastifyRequest): string | null {
  const q = ((request.query ?? {}) as Record<string, unknown>).q;
  return typeof q === 'string' ? q.replace(/^\/+/, '') : null;
}

/**
 * Mounts the Services 3.x REST server: CORS (when configured), one catch-all route per endpoint,
 * `/services/session/token`, and the `?q=` form of every URL (clean URLs off, on `/` and `/index.php`) that
 * jDrupal and angular-drupal use. Errors the HTTP layer raises on these routes (413, broken bodies, an
 * escaped exception) are answered Services-style by {@link sendFrameworkError}.
 */
export function registerServices(app: FastifyInstance, config: Config, core: CoreDeps, resources: ReadonlyMap<string, ResourceSpec>, forward?: PipelineDeps['forward']): EndpointRuntime[] {
  const endpoints = config.endpoints.map((e) => buildEndpoint(e, resources));
  registerCors(app, config.cors);
  const token = (request: FastifyRequest, reply: FastifyReply) => handleSessionToken(config, core, request, reply);
  const serve = (request: FastifyRequest, reply: FastifyReply, t: ServicesTarget) =>
    handleServicesRequest({ config, core, endpoint: t.endpoint, forward }, request, reply, t.canonical);
  const errorsFor = (targetOf: (request: FastifyRequest) => ServicesTarget | null) =>
    (err: FastifyError, request: FastifyRequest, reply: FastifyReply) => sendFrameworkError(request, reply, err, targetOf(request));

  app.route({ method: [...METHODS], url: `/${TOKEN_PATH}`, handler: token, errorHandler: errorsFor(() => null), ...ROUTE_HOOKS });

  for (const endpoint of endpoints) {
    const prefix = `/${endpoint.config.path}`;
    const targetOf = (request: FastifyRequest): ServicesTarget => ({ endpoint, canonical: canonicalOf(request.url, prefix) });
    const handler = (request: FastifyRequest, reply: FastifyReply) => serve(request, reply, targetOf(request));
    app.route({ method: [...METHODS], url: prefix, handler, errorHandler: errorsFor(targetOf), ...ROUTE_HOOKS });
    app.route({ method: [...METHODS], url: `${prefix}/*`, handler, errorHandler: errorsFor(targetOf), ...ROUTE_HOOKS });
  }

  const queryTarget = (request: FastifyRequest): ServicesTarget | null => {
    const path = queryPath(request);
    if (path === null) return null;
    for (const endpoint of endpoints) {
      const p = endpoint.config.path;
      if (path === p || path.startsWith(`${p}/`)) return { endpoint, canonical: path === p ? '' : path.slice(p.length + 1) };
    }
    return null;
  };
  const front = async (request: FastifyRequest, reply: FastifyReply) => {
    if (queryPath(request) === TOKEN_PATH) return token(request, reply);
    const target = queryTarget(request);
    if (target) return serve(request, reply, target);
    if (forward) return forward(request, reply);
    reply.code(200).header('Content-Type', 'text/html; charset=UTF-8');
    return reply.send('<!DOCTYPE html><html><head><title>Gatehouse</title></head><body><p>Gatehouse is running.</p></body></html>');
  };
  for (const url of ['/', '/index.php']) app.route({ method: [...METHODS], url, handler: front, errorHandler: errorsFor(queryTarget), ...ROUTE_HOOKS });
  return endpoints;
}
