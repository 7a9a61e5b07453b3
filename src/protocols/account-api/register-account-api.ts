/**
 * Mounts the account API's declared operations (api-operation.ts): each answers JSON, `{ "message": … }` on
 * an error. The request's session comes from the site's session cookie as for every protocol; a write needs
 * the session's CSRF token (`GET /services/session/token`) in `X-CSRF-Token`, as Services asks.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config/config.js';
import { PERMISSIONS } from '../../core/auth/permissions.js';
import { type CoreDeps, depsForRequest } from '../../core/core-deps.js';
import { safeEqual } from '../../core/crypto/hmac.js';
import { can } from '../../core/model.js';
import { openRequestContext, type RequestContext } from '../request-context.js';
import { ACCOUNT_API_PREFIX, type ApiCall, ApiError, type ApiOperation } from './api-operation.js';
import { AUDIT_OPERATIONS } from './audit-operations.js';
import { SESSION_OPERATIONS } from './session-operations.js';
import type { WebConsoleStores } from '../web/web-request.js';

/** Every operation of the account API, in the order the OpenAPI document lists them. */
export const ACCOUNT_API_OPERATIONS: readonly ApiOperation[] = [...SESSION_OPERATIONS, ...AUDIT_OPERATIONS];

/** The Fastify route path of a declared one (`/sessions/{id}` → `/gatehouse/api/sessions/:id`). */
export const routePath = (op: ApiOperation) => `${ACCOUNT_API_PREFIX}${op.path.replace(/\{(\w+)\}/g, ':$1')}`;

export function registerAccountApi(app: FastifyInstance, config: Config, core: CoreDeps, stores: WebConsoleStores): void {
  for (const op of ACCOUNT_API_OPERATIONS) {
    app.route({
      method: op.method, url: routePath(op),
      handler: async (request, reply) => {
        // One view of the store for the whole request (PostgreSQL: the session's query is made once).
        const deps = depsForRequest(core);
        const context = await openRequestContext(config, deps, request);
        let status = 200;
        let body: unknown;
        try {
          const call: ApiCall = { core: deps, ...stores, context, params: checked(op, 'path', request.params), query: checked(op, 'query', request.query) };
          allow(op, context, request);
          body = await op.handler(call);
        } catch (err) {
          if (!(err instanceof ApiError)) throw err;
          status = err.status;
          body = { message: err.message };
        }
        await context.session.commit();
        return answer(reply, status, body, context.session.setCookies);
      },
    });
  }
}

/** Logged in; the token on a write; the permission an administrator's operation needs. */
function allow(op: ApiOperation, context: RequestContext, request: FastifyRequest): void {
  const { session } = context;
  if (!session.authenticated) throw new ApiError(403, 'Access denied: log in first.');
  const token = request.headers['x-csrf-token'];
  if (op.method !== 'GET' && (typeof token !== 'string' || !safeEqual(token, session.token()))) throw new ApiError(403, 'CSRF validation failed.');
  if (op.access === 'administer users' && !can(session.actor, PERMISSIONS.administerUsers)) throw new ApiError(403, `Access denied for user ${session.actor.name}.`);
}

/** The declared parameters of one kind, each matched against its pattern (400 otherwise); others are ignored. */
function checked(op: ApiOperation, where: 'path' | 'query', given: unknown): Record<string, string> {
  const values = (given ?? {}) as Record<string, unknown>;
  const out: Record<string, string> = {};
  for (const p of op.parameters ?? []) {
    if (p.in !== where || values[p.name] === undefined) continue;
    const value = values[p.name];
    const pattern = typeof p.schema.pattern === 'string' ? new RegExp(p.schema.pattern) : null;
    if (typeof value !== 'string' || (pattern && !pattern.test(value))) throw new ApiError(400, `Invalid ${p.name}.`);
    out[p.name] = value;
  }
  return out;
}

function answer(reply: FastifyReply, status: number, body: unknown, setCookies: string[]): FastifyReply {
  reply.code(status).header('Content-Type', 'application/json; charset=utf-8').header('Cache-Control', 'no-store');
  if (setCookies.length > 0) reply.header('Set-Cookie', setCookies);
  return reply.send(JSON.stringify(body));
}
