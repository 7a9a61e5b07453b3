import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config/config.js';
import type { CoreDeps } from '../../core/core-deps.js';
import { buildEndpoint, type EndpointRuntime } from './endpoint.js';
import { handleServicesRequest, type PipelineDeps } from './pipeline.js';
import type { ResourceSpec } from './resource.js';
import { handleSessionToken } from './session-token.js';

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH'] as const;

/** The path below the endpoint, decoded the way Drupal's `q` arrives. */
function canonicalOf(url: string, prefix: string): string {
  const path = url.split('?')[0];
  const rest = path === prefix ? '' : path.slice(prefix.length + 1);
  try { return decodeURIComponent(rest); } catch { return rest; }
}

/**
 * Mounts the Services 3.x REST server: one catch-all route per endpoint, `/services/session/token`, and the
 * `?q=` form of every URL (clean URLs off) that jDrupal and angular-drupal use.
 */
export function registerServices(app: FastifyInstance, config: Config, core: CoreDeps, resources: ReadonlyMap<string, ResourceSpec>, forward?: PipelineDeps['forward']): EndpointRuntime[] {
  const endpoints = config.endpoints.map((e) => buildEndpoint(e, resources));
  const token = (request: FastifyRequest, reply: FastifyReply) => handleSessionToken(config, core, request, reply);
  app.route({ method: [...METHODS], url: '/services/session/token', handler: token });

  for (const endpoint of endpoints) {
    const prefix = `/${endpoint.config.path}`;
    const handler = (request: FastifyRequest, reply: FastifyReply) =>
      handleServicesRequest({ config, core, endpoint, forward }, request, reply, canonicalOf(request.url, prefix));
    app.route({ method: [...METHODS], url: prefix, handler });
    app.route({ method: [...METHODS], url: `${prefix}/*`, handler });
  }

  app.route({
    method: [...METHODS],
    url: '/',
    handler: async (request, reply) => {
      const q = (request.query as Record<string, unknown>).q;
      if (typeof q === 'string') {
        const path = q.replace(/^\/+/, '');
        if (path === 'services/session/token') return token(request, reply);
        for (const endpoint of endpoints) {
          const p = endpoint.config.path;
          if (path === p || path.startsWith(`${p}/`)) {
            return handleServicesRequest({ config, core, endpoint, forward }, request, reply, path === p ? '' : path.slice(p.length + 1));
          }
        }
      }
      if (forward) return forward(request, reply);
      reply.code(200).header('Content-Type', 'text/html; charset=UTF-8');
      return reply.send('<!DOCTYPE html><html><head><title>Gatehouse</title></head><body><p>Gatehouse is running.</p></body></html>');
    },
  });
  return endpoints;
}
