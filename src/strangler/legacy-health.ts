import { GatehouseError } from '../core/errors.js';

export type LegacyState = 'unknown' | 'up' | 'down';

export interface LegacyHealthLog { warn(obj: object, msg: string): void; info(obj: object, msg: string): void }

/** Connection-level failures (the database is away), as opposed to a statement it refused. */
export function isConnectionError(err: unknown): boolean {
  const e = err as { fatal?: boolean; code?: string; message?: string } | undefined;
  if (e?.fatal === true) return true;
  if (e?.code && /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|EPIPE|PROTOCOL_CONNECTION_LOST|PROTOCOL_SEQUENCE_TIMEOUT|57P01|57P03|08\d\d\d)$/.test(e.code)) return true;
  return /Connection terminated|connect ETIMEDOUT|timeout exceeded when trying to connect|Pool is closed/i.test(e?.message ?? '');
}

/**
 * Whether the legacy database answers, as last seen. The server probes it once in the background at start
 * (it listens meanwhile); every legacy statement then reports how it went. While it is known down, what
 * cannot work without it answers at once instead of waiting for a connect timeout — a new account (it needs
 * Drupal's uid sequence) gets a 503 with Retry-After — and it is probed again every `retryIntervalMs` until
 * it answers. The warning is logged once per outage.
 */
export class LegacyHealth {
  state: LegacyState = 'unknown';
  /** How many probes ran (the start probe, then one per retry interval while down). */
  probes = 0;
  /** A probe has run to its end (whatever it found). */
  probed = false;
  private probing: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly ping: () => Promise<void>, private readonly log: LegacyHealthLog, private readonly retryIntervalMs: number) {}

  get down(): boolean { return this.state === 'down'; }

  /** Probes unless a probe is running already; resolves when it is over (never throws). */
  probe(): Promise<void> {
    this.probing ??= (async () => {
      this.probes += 1;
      try { await this.ping(); } catch { /* reported through failed() by the statement itself */ } finally { this.probing = null; this.probed = true; }
    })();
    return this.probing;
  }

  /** A statement was answered. */
  ok(): void {
    if (this.state === 'down') this.log.info({}, 'the legacy database answers again');
    this.state = 'up';
    this.stopRetrying();
  }

  /** A statement failed; only connection failures make the database count as down. */
  failed(err: unknown): void {
    if (!isConnectionError(err)) return;
    if (this.state !== 'down') {
      this.log.warn({ err: (err as Error).message }, 'legacy database unreachable: registration answers 503 until it is back, writes queue in bridge_outbox');
    }
    this.state = 'down';
    if (!this.timer) {
      this.timer = setInterval(() => { void this.probe(); }, this.retryIntervalMs);
      this.timer.unref();
    }
  }

  /** The error a request gets for what needs the legacy database while it is known down. */
  unavailable(): GatehouseError {
    return new GatehouseError('legacy_unavailable', undefined, { retryAfter: Math.max(1, Math.ceil(this.retryIntervalMs / 1000)) });
  }

  stop(): void { this.stopRetrying(); }

  private stopRetrying(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
