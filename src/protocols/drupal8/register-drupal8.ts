import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config/config.js';
import type { CoreDeps } from '../../core/core-deps.js';
import type { Forward } from '../../strangler/forwarder.js';
import { register, requestPassword } from './account-routes.js';
import { type Drupal8Handler, runDrupal8 } from './request-context.js';
import { sendError } from './responder.js';
import { login, loginStatus, logout, sessionToken } from './session-routes.js';
import { deleteUser, getUser, patchUser } from './user-routes.js';

/** A path of the dialect: its methods, and whether `?_format=json` selects it (else it is the HTML page's). */
export interface Drupal8Route { path: string; methods: Record<string, Drupal8Handler>; needsFormat: boolean }

/** The route table (user.routing.yml, system.routing.yml and the REST user resources). */
export const DRUPAL8_ROUTES: readonly Drupal8Route[] = [
  { path: '/user/login', methods: { POST: login }, needsFormat: true },
  { path: '/user/login_status', methods: { GET: loginStatus }, needsFormat: true },
  { path: '/user/logout', methods: { POST: logout }, needsFormat: true },
  { path: '/user/password', methods: { POST: requestPassword }, needsFormat: true },
  { path: '/user/register', methods: { POST: register }, needsFormat: true },
  { path: '/user/:uid', methods: { GET: getUser, PATCH: patchUser, DELETE: deleteUser }, needsFormat: true },
  { path: '/session/token', methods: { GET: sessionToken }, needsFormat: false },
];

const ALL_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH'] as const;

/**
 * What the HTTP layer refuses before a handler runs (a body over the limit, a Content-Type it cannot read)
 * is answered in this dialect's shape; anything else is the final 500 page.
 */
function frameworkError(err: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const status = err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
  if (status === 500) {
    request.log.error({ err }, 'drupal8 request failed');
    return sendError(reply, null);
  }
  const message = status === 413 ? 'Request body is too large.' : status === 415 ? `No route found that matches "Content-Type: ${String(request.headers['content-type'] ?? '')}"` : 'Bad request.';
  return sendError(reply, { status, message, headers: {} });
}

/** Formats the dialect serializes. */
const FORMATS = ['json'];

/**
 * Mounts Drupal 8+ core's user endpoints (config `drupal8`), below `drupal8.path`. A path without
 * `?_format` is the HTML page of that path: the legacy site's in strangler mode, else not found here.
 */
export function registerDrupal8(app: FastifyInstance, config: Config, core: CoreDeps, forward?: Forward): void {
  if (!config.drupal8.enabled) return;
  const prefix = config.drupal8.path === '' ? '' : `/${config.drupal8.path}`;
  for (const route of DRUPAL8_ROUTES) {
    const allowed = Object.keys(route.methods);
    if (allowed.includes('GET')) allowed.splice(allowed.indexOf('GET') + 1, 0, 'HEAD');
    const handler = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
      const format = (request.query as Record<string, unknown>)._format;
      if (route.needsFormat && format === undefined) {
        if (forward) return forward(request, reply);
        return reply.callNotFound() as unknown as FastifyReply;
      }
      const method = request.method === 'HEAD' ? 'GET' : request.method;
      const run = route.methods[method];
      if (!run) {
        const url = `${request.protocol}://${request.headers.host ?? ''}${request.url.split('?')[0]}`;
        return sendError(reply, { status: 405, message: `No route found for "${request.method} ${url}": Method Not Allowed (Allow: ${allowed.join(', ')})`, headers: { Allow: allowed.join(', ') } });
      }
      if (route.needsFormat && !FORMATS.includes(String(format))) {
        return sendError(reply, { status: 406, message: `No route found for the specified format ${String(format)}. Supported formats: ${FORMATS.join(', ')}.`, headers: {} });
      }
      return runDrupal8(config, core, request, reply, run);
    };
    app.route({ method: [...ALL_METHODS], url: `${prefix}${route.path}`, handler, errorHandler: frameworkError });
  }
}
