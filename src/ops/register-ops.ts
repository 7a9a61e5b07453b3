import type { FastifyInstance } from 'fastify';
import type { Config } from '../config/config.js';
import type { GatehouseMetrics } from './metrics.js';
import { routeLabel, statusLabel } from './route-label.js';

/** A session cookie that starts a session (not the `deleted` one a logout sends). */
const SESSION_COOKIE = /^S?SESS[0-9a-f]{32}=(?!deleted;)/;

/**
 * Operations hooks on the HTTP application: every answer carries its request id (X-Request-Id, the one the
 * client or proxy sent, else a generated one; log lines carry it as `reqId`), requests are counted by route
 * and status with their latency, new session cookies are counted, and the metrics are served at
 * `config.metricsPath` unless a separate metrics port is configured. Once the app is closing, answers close
 * their connections.
 */
export function registerOps(app: FastifyInstance, config: Config, metrics: GatehouseMetrics): void {
  attached.set(app, metrics);
  // Closing (SIGTERM): every answer from now on ends its keep-alive connection — the answers to requests in
  // flight and the 503s Fastify gives to requests arriving on busy connections — so close() can complete.
  let closing = false;
  app.addHook('preClose', (done) => {
    closing = true;
    app.server.prependListener('request', (_req, res) => { res.setHeader('Connection', 'close'); });
    done();
  });
  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('X-Request-Id', request.id);
    if (closing) reply.header('Connection', 'close');
    const cookies = reply.getHeader('set-cookie');
    for (const c of Array.isArray(cookies) ? cookies : cookies === undefined ? [] : [String(cookies)]) {
      if (SESSION_COOKIE.test(c)) metrics.sessionCreated();
    }
    return payload;
  });
  app.addHook('onResponse', async (request, reply) => {
    const matched = request.routeOptions.url !== undefined;
    metrics.observeRequest({
      method: request.method, status: statusLabel(request, reply.statusCode), seconds: reply.elapsedTime / 1000,
      route: routeLabel(request.url, reply.statusCode, matched),
    });
  });
  if (config.metricsPath !== null && config.metricsPort === null) {
    app.get(config.metricsPath, async (_request, reply) => {
      reply.header('Content-Type', metrics.registry.contentType);
      return metrics.registry.metrics();
    });
  }
}

const attached = new WeakMap<FastifyInstance, GatehouseMetrics>();

/** The metrics registerOps attached to an app (for a separate metrics port or the cluster's aggregation). */
export function metricsOf(app: FastifyInstance): GatehouseMetrics | undefined {
  return attached.get(app);
}
