import client from 'prom-client';
import type { CoreMetrics, LoginOutcome } from '../core/core-deps.js';

/** The Prometheus instruments of one server process, in a registry of its own (several apps may share a process). */
export interface GatehouseMetrics {
  readonly registry: client.Registry;
  /** What the core reports to (logins and flood blocks). */
  readonly core: CoreMetrics;
  observeRequest(o: { method: string; route: string; status: number | string; seconds: number }): void;
  /** A recorder bound to one label set once, for a hot path (no label lookup per request). */
  requestObserver(method: string, route: string, status: number): (seconds: number) => void;
  sessionCreated(): void;
  /** A connection closed unread by a connection limit (src/ops/connection-limits.ts). */
  connectionRefused(reason: 'total' | 'per-ip'): void;
}

/** Logins refused by flood control, by which limit. */
const FLOOD_OUTCOMES: Partial<Record<LoginOutcome, 'ip' | 'user'>> = { flood_ip: 'ip', flood_user: 'user' };

export function createMetrics(o: { outboxDepth?: () => Promise<number> } = {}): GatehouseMetrics {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, prefix: 'gatehouse_process_' });
  const requests = new client.Histogram({
    name: 'gatehouse_http_request_duration_seconds',
    help: 'HTTP requests by method, route and status, with their latency',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const logins = new client.Counter({
    name: 'gatehouse_logins_total', help: 'Login attempts by outcome (ok, failed, flood_ip, flood_user, blocked)',
    labelNames: ['outcome'] as const, registers: [registry],
  });
  const floodBlocks = new client.Counter({
    name: 'gatehouse_flood_blocks_total', help: 'Login attempts refused by flood control, by limit (ip, user)',
    labelNames: ['limit'] as const, registers: [registry],
  });
  const sessions = new client.Counter({ name: 'gatehouse_sessions_created_total', help: 'Session cookies issued for new sessions', registers: [registry] });
  const refused = new client.Counter({
    name: 'gatehouse_connections_refused_total', help: 'Connections closed unread by a connection limit (total, per-ip)',
    labelNames: ['limit'] as const, registers: [registry],
  });
  const outboxDepth = o.outboxDepth;
  if (outboxDepth) {
    new client.Gauge({
      name: 'gatehouse_outbox_depth', help: 'Mails waiting in the outbox (pending, not yet sent)', registers: [registry],
      // Every instance sees the same table: across cluster workers the value is the same, not a sum.
      aggregator: 'max',
      async collect() { this.set(await outboxDepth()); },
    });
  }
  for (const outcome of ['ok', 'failed', 'flood_ip', 'flood_user', 'blocked'] as const) logins.inc({ outcome }, 0);
  floodBlocks.inc({ limit: 'ip' }, 0);
  floodBlocks.inc({ limit: 'user' }, 0);
  return {
    registry,
    core: {
      loginAttempt(outcome) {
        logins.inc({ outcome });
        const limit = FLOOD_OUTCOMES[outcome];
        if (limit) floodBlocks.inc({ limit });
      },
    },
    observeRequest: ({ method, route, status, seconds }) => requests.observe({ method, route, status: String(status) }, seconds),
    requestObserver: (method, route, status) => {
      const child = requests.labels({ method, route, status: String(status) });
      return (seconds) => child.observe(seconds);
    },
    sessionCreated: () => sessions.inc(),
    connectionRefused: (limit) => refused.inc({ limit }),
  };
}
