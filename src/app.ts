import { randomUUID } from 'node:crypto';
import http from 'node:http';
import cookie from '@fastify/cookie';
import Fastify, { type FastifyInstance, LogController } from 'fastify';
import type { Metric } from 'prom-client';
import type { Config } from './config/config.js';
import type { CoreDeps } from './core/core-deps.js';
import { createFastSessionToken } from './protocols/services3/fast-session-token.js';
import { registerServices } from './protocols/services3/register-services.js';
import { registerAccountApi } from './protocols/account-api/register-account-api.js';
import { registerOpenApi } from './protocols/openapi/register-openapi.js';
import { registerDrupal8 } from './protocols/drupal8/register-drupal8.js';
import { forwardUnrouted } from './strangler/forward-unrouted.js';
import type { Forward } from './strangler/forwarder.js';
import type { ResourceSpec } from './protocols/services3/resource.js';
import { systemResource } from './protocols/services3/resources/system.js';
import { userResource } from './protocols/services3/resources/user.js';
import { parsePhpQueryString } from './protocols/services3/parsers/urlencoded.js';
import { wireText } from './protocols/services3/responder.js';
import { createMetrics } from './ops/metrics.js';
import { registerOps } from './ops/register-ops.js';
import { redactingSerializers } from './ops/log-redaction.js';
import { logWhenDone } from './ops/access-log.js';
import { outboxDepthReader } from './storage/outbox-repository.js';
import { clientPage } from './protocols/client-page.js';
import { TrustedHosts } from './protocols/trusted-host.js';
import { limitConnections, serverOptions } from './ops/connection-limits.js';
import { resetPage, resetPageUrl } from './protocols/reset-page/index.js';
import { accountPage } from './protocols/account-page.js';
import type { MailHealth } from './mail/mail-probe.js';
import { webPages } from './protocols/web/index.js';
import type { WebConsoleStores } from './protocols/web/web-request.js';

export interface AppOptions {
  /** Extra resources a site declares (name → spec), next to user and system. */
  resources?: ResourceSpec[];
  /** Strangler mode: where requests Gatehouse does not serve go (the legacy site). */
  forward?: Forward;
  /** More instruments for the served /metrics registry (strangler mode: the `gatehouse_legacy_*` ones). */
  extraMetrics?: Metric[];
  logger?: boolean | object;
  /** Serve the browser SDK bundle and its demo page (/gatehouse/client.js, /gatehouse/client-demo); needs esbuild. */
  clientPage?: boolean;
  /** Whether mail gets out (the server's MailProbe): /readyz reports it, degraded when the transport is unreachable. */
  mailHealth?: () => Promise<MailHealth>;
  /** The console's reads and the audit log over the local database; without them no web pages are served. */
  webConsole?: WebConsoleStores;
}

/** The resources Gatehouse declares itself. */
export const BUILTIN_RESOURCES: ResourceSpec[] = [userResource, systemResource];

/** Builds the HTTP application over a ready core. Never listens: main.ts and tests do. */
export async function buildApp(config: Config, core: CoreDeps, opts: AppOptions = {}): Promise<FastifyInstance> {
  const metrics = createMetrics({ outboxDepth: outboxDepthReader(core.store.outbox) });
  for (const m of opts.extraMetrics ?? []) metrics.registry.registerMetric(m);
  let closing = false;
  const tokenObservers = new Map<string, (seconds: number) => void>();
  const fastToken = createFastSessionToken(config, core, {
    closing: () => closing,
    observe: (method, status, seconds) => {
      // One bound recorder per method and status (both bounded sets: node's parser knows ~34 methods).
      const key = `${method} ${status}`;
      let record = tokenObservers.get(key);
      if (!record) tokenObservers.set(key, (record = metrics.requestObserver(method, '/services/session/token', status)));
      record(seconds);
    },
  });
  const hosts = new TrustedHosts(config);
  const accessLog = opts.logger !== false;
  const app: FastifyInstance = Fastify({
    // A forged Host is refused before anything reads it; the hottest path, the session token, is answered
    // before routing when nothing about it needs the framework. Every request gets one access-log line.
    serverFactory: (handler) => {
      const server = http.createServer(serverOptions(config.connections), (req, res) => {
        if (accessLog) logWhenDone(app.log, req, res);
        if (!hosts.refuse(req, res) && !fastToken(req, res)) handler(req, res);
      });
      limitConnections(server, config.connections, (reason) => metrics.connectionRefused(reason));
      return server;
    },
    // Secrets in URLs (one-time link hashes, services_token) are redacted from every log line.
    logger: opts.logger === undefined || opts.logger === true ? { level: config.logLevel, serializers: redactingSerializers }
      : opts.logger === false ? false : { serializers: redactingSerializers, ...opts.logger },
    trustProxy: config.trustedProxies.length > 0 ? config.trustedProxies : false,
    bodyLimit: config.bodyLimit,
    exposeHeadRoutes: false,
    return503OnClosing: true,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    // Our own access line per request (access-log.ts) replaces Fastify's two lines, which carry the raw URL.
    logController: new LogController({ disableRequestLogging: true }),
    // A one-time login link in the `?q=` form (clean URLs off) reaches the same page as the clean one.
    rewriteUrl: (req) => { const url = req.url ?? '/'; return (url.includes('user') && resetPageUrl(url)) || url; },
    // Query strings as PHP's $_GET reads them (bracket keys nest: parameters[name]=bob).
    routerOptions: { querystringParser: (text: string) => parsePhpQueryString(text) },
  });
  app.addHook('preClose', (done) => { closing = true; done(); });
  await app.register(cookie);
  // Operations: request ids on answers, Prometheus metrics (the core reports logins and flood blocks to them).
  registerOps(app, config, metrics);
  core = core.metrics ? core : { ...core, metrics: metrics.core };
  // Every body arrives raw: the protocol layers choose their own parsers, as Services does.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  // Set before any route: a route keeps the error handler in force when it is registered.
  app.setNotFoundHandler((_req, reply) => {
    reply.code(404).header('Content-Type', 'text/html; charset=UTF-8').send('<!DOCTYPE html><html><body><h1>Page not found</h1></body></html>');
  });
  app.setErrorHandler((err: Error & { statusCode?: number }, request, reply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status === 500) request.log.error({ err }, 'unhandled error');
    const message = status === 413 ? 'Request body is too large.' : status === 500 ? 'An error occurred.' : 'Bad request.';
    reply.raw.statusMessage = wireText(status === 500 ? `Internal Server Error : ${message}` : `: ${message}`);
    reply.code(status).header('Content-Type', 'application/json').send(JSON.stringify([message]));
  });

  const resources = new Map<string, ResourceSpec>();
  for (const r of [...BUILTIN_RESOURCES, ...(opts.resources ?? [])]) resources.set(r.name, r);
  const endpoints = registerServices(app, config, core, resources, opts.forward);
  registerDrupal8(app, config, core, opts.forward);
  if (opts.forward) app.addHook('onRequest', forwardUnrouted(opts.forward));
  await app.register(resetPage, { config, core });
  if (opts.webConsole) {
    await webPages(app, { config, core, ...opts.webConsole });
    registerAccountApi(app, config, core, opts.webConsole);
  }
  registerOpenApi(app, config, endpoints);
  // [site:login-url] in account mails; in strangler mode the legacy site answers it.
  if (!opts.forward) await app.register(accountPage, { config, core });
  if (opts.clientPage) await app.register(clientPage);

  app.get('/healthz', async () => ({ status: 'ok' }));
  // Down (503) without the database; degraded (200) when mail cannot get out: it waits in the outbox.
  app.get('/readyz', async (_req, reply) => {
    try { await core.store.ping(); } catch { return reply.code(503).send({ status: 'database unreachable' }); }
    const mail = await opts.mailHealth?.();
    return mail ? { status: mail.reachable === false ? 'degraded' : 'ready', mail } : { status: 'ready' };
  });

  return app;
}
