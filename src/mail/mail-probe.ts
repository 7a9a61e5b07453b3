/**
 * Is mail getting out? The transport's check (SMTP: connect, TLS, login; .eml folder: writable), run at start
 * and again for /readyz, at most once per `ttlMs` (a probe per health check would hammer the SMTP server).
 * An unreachable transport makes the instance *degraded*, not down: requests are still answered and mail
 * waits in the outbox until the transport is back.
 */
import type { MailTransport } from './transports/transport.js';

export interface MailHealth {
  /** The transport in words, or why there is none in this process. */
  transport: string;
  /** null when this process has no transport to check (worker elsewhere). */
  reachable: boolean | null;
  error?: string;
}

export class MailProbe {
  private last: { at: number; health: MailHealth } | null = null;
  private running: Promise<MailHealth> | null = null;

  constructor(private readonly transport: MailTransport | null, private readonly ttlMs = 30_000, private readonly now = () => Date.now()) {}

  /** The last result when fresh enough, else a new check (concurrent callers share it). */
  health(): Promise<MailHealth> {
    if (this.last && this.now() - this.last.at < this.ttlMs) return Promise.resolve(this.last.health);
    this.running ??= this.check().finally(() => { this.running = null; });
    return this.running;
  }

  private async check(): Promise<MailHealth> {
    const t = this.transport;
    let health: MailHealth;
    if (!t) {
      health = { transport: 'none in this process (GATEHOUSE_MAIL_WORKER=0: run `gatehouse mail-worker`)', reachable: null };
    } else {
      try {
        await t.check();
        health = { transport: t.description, reachable: true };
      } catch (err) {
        health = { transport: t.description, reachable: false, error: (err as Error).message };
      }
    }
    this.last = { at: this.now(), health };
    return health;
  }
}
