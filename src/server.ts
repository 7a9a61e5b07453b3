import cluster from 'node:cluster';
import { withWebhooks } from './mail/transports/webhooks.js';
import type { Config } from './config/config.js';
import { AccountAdmin } from './core/accounts/account-admin.js';
import { createServer, type Gatehouse, openGatehouse } from './gatehouse.js';
import { linkRenewer, purgeOutbox } from './mail/link-redaction.js';
import type { FastifyBaseLogger } from 'fastify';
import { MailProbe } from './mail/mail-probe.js';
import { OutboxWorker } from './mail/outbox-worker.js';
import { transportFromEnv } from './mail/transports/index.js';
import type { MailTransport } from './mail/transports/transport.js';
import { runPrimary } from './ops/cluster-primary.js';
import { GarbageCollector } from './ops/gc-job.js';
import { startMetricsServer } from './ops/metrics-server.js';
import { metricsOf } from './ops/register-ops.js';
import { TrustedHosts } from './protocols/trusted-host.js';

/**
 * Runs the server until SIGTERM/SIGINT. On an empty site it first creates uid 1 and prints its password
 * once. With `workers` > 1 this process becomes the cluster primary: it forks that many workers sharing the
 * port (each one a full instance with its own pool) and forwards the shutdown signal to them.
 */
export async function runServer(config: Config, o: { workers?: number } = {}): Promise<void> {
  const workers = Math.max(1, Math.floor(o.workers ?? 1));
  // In strangler mode the administrator is the legacy site's (it appears at its first login): none is made up.
  const announce = !config.legacy.databaseUrl;
  if (workers > 1 && cluster.isPrimary) {
    if (announce) {
      const g = await openGatehouse(config);
      try { await announceFirstAdmin(config, g); } finally { await g.close(); }
    }
    return runPrimary(config, workers);
  }
  // One instance opens its database once (the first-admin check shares it): a quicker start.
  const mailTransport = config.mailWorker ? transportFromEnv(process.env, config.mailDir) : null;
  const transport = mailTransport ? withWebhooks(mailTransport, config.webhooks) : null;
  const mailProbe = new MailProbe(transport);
  const server = await createServer(config, { mailHealth: () => mailProbe.health() });
  if (cluster.isPrimary && announce) await announceFirstAdmin(config, server);
  await runInstance(config, server, transport, mailProbe);
}

/**
 * One instance: HTTP, the outbox worker, session/flood garbage collection and (outside a cluster) the
 * metrics port. SIGTERM stops accepting connections, lets the requests in flight finish (idle keep-alive
 * connections are closed, new requests on busy ones get 503), stops the background jobs, closes the
 * database pool and exits 0 — or exits 1 when that takes longer than `shutdownTimeout`.
 */
async function runInstance(config: Config, server: Awaited<ReturnType<typeof createServer>>, transport: MailTransport | null, mailProbe: MailProbe): Promise<void> {
  const log = server.app.log;
  const metrics = metricsOf(server.app);
  const worker = transport ? new OutboxWorker({ db: server.database.db, dialect: server.database.dialect, transport, renewLinks: linkRenewer(server.database.db, config.hashSalt) }) : null;
  const { outboxSentDays: sentDays, outboxFailedDays: deadDays } = config.retention;
  const gc = new GarbageCollector({
    store: server.store, clock: server.core.clock, maxIdle: config.sessionMaxIdle, intervalSeconds: config.gcInterval,
    purgeMails: (now) => purgeOutbox(server.database.db, now, { sentDays, deadDays }),
    onRun: (r) => log.info({ sessionsRemoved: r.sessions, mailsRemoved: r.mails }, 'garbage collection'),
    onError: (err) => log.warn({ err }, 'garbage collection failed'),
  });
  if (cluster.isWorker && metrics) {
    // Constructing one installs the listener that answers the primary's requests for this worker's metrics.
    const { AggregatorRegistry } = await import('prom-client');
    new AggregatorRegistry();
    AggregatorRegistry.setRegistries([metrics.registry]);
  }
  const metricsServer = config.metricsPort !== null && !cluster.isWorker && metrics
    ? await startMetricsServer({ host: config.host, port: config.metricsPort, path: config.metricsPath ?? '/metrics', render: async () => ({ contentType: metrics.registry.contentType, body: await metrics.registry.metrics() }) })
    : null;

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    log.info({ signal }, 'shutting down: finishing requests in flight');
    setTimeout(() => { log.error('shutdown took too long; exiting'); process.exit(1); }, config.shutdownTimeout * 1000).unref();
    try {
      await server.app.close();
      await Promise.all([worker?.stop(), gc.stop(), metricsServer?.close()]);
      await server.database.close();
      log.info('stopped');
      process.exit(0);
    } catch (err) {
      log.error({ err }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
  await server.app.listen({ host: config.host, port: config.port });
  const address = server.app.server.address();
  log.info({ trustedHosts: new TrustedHosts(config).describe(typeof address === 'object' && address ? address.port : config.port) }, 'answering Host headers');
  worker?.start();
  gc.start();
  void announceMail(mailProbe, log);
}

/** Which transport this instance uses, and whether it answers (checked once, after listening). */
async function announceMail(probe: MailProbe, log: FastifyBaseLogger): Promise<void> {
  const mail = await probe.health();
  log.info({ mail: mail.transport }, `mail transport: ${mail.transport}`);
  if (mail.reachable === false) log.warn({ error: mail.error }, `mail transport unreachable: ${mail.error} (mail waits in the outbox; /readyz says degraded)`);
}

/** Creates uid 1 on an empty site and prints its password once; another instance winning that race is fine. */
async function announceFirstAdmin(config: Config, g: Gatehouse): Promise<void> {
  const admin = new AccountAdmin(g.core);
  const created = await admin.ensureFirstAdmin(String(config.siteDefaults.site_mail ?? 'admin@example.com')).catch(async (err) => {
    if (await g.store.accounts.byUid(1)) return null;
    throw err;
  });
  if (created) {
    console.log('');
    console.log('  First start: an administrator account was created. Its password is shown only now:');
    console.log(`    name:     ${created.name}`);
    console.log(`    password: ${created.password}`);
    console.log('  Change it with: npx gatehouse user set-password admin   (asks for the new one)');
    console.log('');
  }
}
