import type { Clock } from '../core/clock.js';
import type { Store } from '../core/ports.js';
import { SessionManager } from '../core/sessions/session-manager.js';

export interface GcResult { sessions: number; mails: number }

/**
 * Drupal's cron-time garbage collection, run periodically in every instance: sessions idle longer than
 * `maxIdle` seconds (session.gc_maxlifetime) and expired flood events are deleted. Each pass is a pair of
 * DELETE … WHERE statements, so instances running it at the same moment only share the work.
 */
export class GarbageCollector {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(private readonly o: {
    store: Store; clock: Clock; maxIdle: number; intervalSeconds: number; onError?: (err: unknown) => void; onRun?: (r: GcResult) => void;
    /** Outbox retention (sent and dead mails older than this many days are deleted); absent = kept. */
    purgeMails?: (now: number) => Promise<number>;
  }) {}

  async runOnce(): Promise<GcResult> {
    const now = this.o.clock.now();
    const sessions = await new SessionManager(this.o.store.sessions).collectGarbage(now, this.o.maxIdle);
    await this.o.store.flood.collectGarbage(now);
    const mails = (await this.o.purgeMails?.(now)) ?? 0;
    return { sessions, mails };
  }

  /** Runs a first pass soon (at a random moment, so instances spread out), then every interval. */
  start(): void {
    if (this.o.intervalSeconds <= 0 || this.timer) return;
    const every = this.o.intervalSeconds * 1000;
    const tick = () => {
      this.running = this.runOnce().then((r) => this.o.onRun?.(r), (err) => this.o.onError?.(err)).finally(() => { this.running = null; });
      this.timer = setTimeout(tick, every).unref();
    };
    this.timer = setTimeout(tick, Math.floor(Math.random() * Math.min(every, 5_000))).unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }
}
