import cluster, { type Worker } from 'node:cluster';
import type { Config } from '../config/config.js';
import { startMetricsServer } from './metrics-server.js';

/**
 * The primary of `gatehouse serve --workers N`: forks N workers that share the listening port (node:cluster
 * hands connections round-robin), replaces a worker that dies unexpectedly, serves the workers' metrics
 * summed on `metricsPort` when one is set, and on SIGTERM/SIGINT asks every worker to shut down gracefully,
 * then exits 0 when all of them did.
 */
export async function runPrimary(config: Config, workers: number): Promise<void> {
  let stopping = false;
  let failedStarts = 0;
  const startedAt = new Map<number, number>();
  const fork = (): Worker => {
    const w = cluster.fork();
    startedAt.set(w.id, Date.now());
    return w;
  };
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    console.error(`worker ${worker.process.pid} exited (${signal ?? code}); starting a new one`);
    const quick = Date.now() - (startedAt.get(worker.id) ?? 0) < 5_000;
    failedStarts = quick ? failedStarts + 1 : 0;
    if (failedStarts >= 5) {
      console.error('workers keep failing at start; giving up');
      void stop('failure', 1);
      return;
    }
    fork();
  });
  for (let i = 0; i < workers; i++) fork();

  let metrics: Awaited<ReturnType<typeof startMetricsServer>> | null = null;
  if (config.metricsPort !== null) {
    const { AggregatorRegistry } = await import('prom-client');
    const aggregator = new AggregatorRegistry();
    metrics = await startMetricsServer({
      host: config.host, port: config.metricsPort, path: config.metricsPath ?? '/metrics',
      render: async () => ({ contentType: aggregator.contentType, body: await (await aggregator.clusterMetrics()) }),
    });
  }

  const stop = async (signal: NodeJS.Signals | 'failure', exitCode = 0) => {
    if (stopping) return;
    stopping = true;
    const alive = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined && !w.isDead());
    let code = exitCode;
    await Promise.all(alive.map((w) => new Promise<void>((resolve) => {
      w.once('exit', (c) => { if (c !== 0) code = 1; resolve(); });
      w.process.kill(signal === 'failure' ? 'SIGTERM' : signal);
    })));
    await metrics?.close();
    process.exit(code);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}
