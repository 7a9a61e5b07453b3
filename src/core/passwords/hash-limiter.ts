/**
 * The one bound on password hashing: at most `threads` hashes run at once (argon2id on libuv's thread pool,
 * Drupal/bcrypt hashes on the worker threads of legacy-hash-pool.ts), at most `queue` more wait; beyond that
 * a hash is refused at once with `overloaded` (the protocols answer 503 + Retry-After) instead of growing
 * memory (argon2id holds 19 MiB per running hash) and everyone's latency.
 *
 * Why a counter in front of @node-rs/argon2 rather than moving argon2 into worker threads: the library already
 * computes off the event loop, on libuv's pool (UV_THREADPOOL_SIZE, 4 by default); what it lacks is a bound
 * below that pool's size, so that a storm neither takes every core from the event loop nor fills libuv's
 * queue (which DNS lookups and file I/O share). Admitting `threads` hashes at a time gives both, costs no
 * extra V8 isolate per thread (a worker thread holds ~10 MB of its own), and the same counter admits the
 * legacy hashes, so the two kinds together never exceed the setting. Settings above libuv's pool size need
 * UV_THREADPOOL_SIZE raised with them (docs/operations.md).
 */
import os from 'node:os';
import { GatehouseError } from '../errors.js';
import type { PasswordHasher } from './password-hasher.js';

export interface HashLimits {
  /** Hashes computed at once; default: one less than the cores (at least 1), the event loop keeps a core. */
  threads?: number | null;
  /** Hashes waiting for a thread at most; default 64. 0 = none wait (refused when all threads are busy). */
  queue?: number;
}

export function defaultHashThreads(): number {
  return Math.max(1, (os.availableParallelism?.() ?? os.cpus().length) - 1);
}

export const DEFAULT_HASH_QUEUE = 64;

export class HashLimiter {
  readonly threads: number;
  readonly queueLimit: number;
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  /** Moving average of one hash's duration (ms), for Retry-After. */
  private averageMs = 100;

  constructor(limits: HashLimits = {}) {
    this.threads = Math.max(1, Math.trunc(limits.threads ?? defaultHashThreads()));
    this.queueLimit = Math.max(0, Math.trunc(limits.queue ?? DEFAULT_HASH_QUEUE));
  }

  /** Hashes running and waiting now (for metrics and tests). */
  get load(): { running: number; waiting: number } { return { running: this.running, waiting: this.waiting.length }; }

  /** Runs `work` when a thread is free; throws `overloaded` (with a Retry-After estimate) when the queue is full. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.threads) {
      if (this.waiting.length >= this.queueLimit) throw this.overloaded();
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    const started = performance.now();
    try {
      return await work();
    } finally {
      this.averageMs = this.averageMs * 0.8 + (performance.now() - started) * 0.2;
      const next = this.waiting.shift();
      // The slot passes straight to the next waiter: `running` stays the same.
      if (next) next(); else this.running--;
    }
  }

  /** Seconds until the queue has drained at the current pace (at least 1). */
  private overloaded(): GatehouseError {
    const seconds = Math.max(1, Math.ceil(((this.waiting.length + this.running) * this.averageMs) / this.threads / 1000));
    return new GatehouseError('overloaded', undefined, { retryAfter: seconds });
  }
}

export interface LimitedHasher extends PasswordHasher { readonly limiter: HashLimiter }

/** `inner` with every hash and verification admitted through `limiter`. */
export function limitedHasher(inner: PasswordHasher, limiter: HashLimiter): LimitedHasher {
  return {
    limiter,
    hash: (plain) => limiter.run(() => inner.hash(plain)),
    verify: (plain, stored) => limiter.run(() => inner.verify(plain, stored)),
    needsRehash: (stored) => inner.needsRehash(stored),
  };
}

export function isOverloaded(err: unknown): boolean {
  return err instanceof GatehouseError && err.code === 'overloaded';
}
