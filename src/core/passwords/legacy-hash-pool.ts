/**
 * Legacy hash verification, and new Drupal 7 `$S$` hashes for a bridged legacy site, on worker threads
 * (piscina). A `$S$D` check is ~70–100 ms of SHA-512 rounds; on the main thread a burst of first logins
 * after an import would delay every other request. The pool is
 * created on first use, shared by every hasher of the process (the CPU is), one thread less than the cores
 * (the event loop keeps a core), and its idle
 * threads exit after a while and never keep the process alive.
 */
import os from 'node:os';
import { Piscina } from 'piscina';
import type { DrupalHashTask, LegacyVerifyTask } from './legacy-hash-worker.js';

export interface LegacyPoolOptions {
  /** Worker threads; default: one less than the cores (at least 1), leaving a core to the event loop. */
  threads?: number;
  /** Milliseconds an idle thread lives; default 30 s. */
  idleTimeoutMs?: number;
}

let shared: Piscina | null = null;

/** The worker script next to this module: `.ts` when running from source (tsx), `.js` once built. */
function workerFile(): string {
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  return new URL(`./legacy-hash-worker${ext}`, import.meta.url).href;
}

/** The parent's flags minus those only a main script may have (`node --input-type=module -e …`). */
function workerExecArgv(): string[] {
  const out: string[] = [];
  for (let i = 0; i < process.execArgv.length; i++) {
    const a = process.execArgv[i];
    if (a === '-e' || a === '--eval' || a === '-p' || a === '--print') { i++; continue; }
    if (!a.startsWith('--input-type') && !a.startsWith('--eval=') && !a.startsWith('--print=')) out.push(a);
  }
  return out;
}

function pool(o: LegacyPoolOptions = {}): Piscina {
  if (shared) return shared;
  const threads = Math.max(1, o.threads ?? (os.availableParallelism?.() ?? os.cpus().length) - 1);
  shared = new Piscina({
    filename: workerFile(),
    minThreads: 0,
    maxThreads: threads,
    idleTimeout: o.idleTimeoutMs ?? 30_000,
    // From source the worker is TypeScript: load it through tsx whether the parent got tsx as a flag
    // (node --import tsx) or registered it in-process (tsx's register(), as scripts/conformance.mjs does).
    execArgv: workerFile().endsWith('.ts') && !process.execArgv.some((a) => a.includes('tsx')) ? [...workerExecArgv(), '--import', 'tsx'] : workerExecArgv(),
  });
  return shared;
}

/** Verifies a Drupal 7 / bcrypt hash on a worker thread. */
export async function verifyLegacyInWorker(plain: string, stored: string, o?: LegacyPoolOptions): Promise<boolean> {
  const task: LegacyVerifyTask = { plain, stored };
  return (await pool(o).run(task)) as boolean;
}

/** user_hash_password() on a worker thread: a new `$S$` hash (null for a password over 512 bytes). */
export async function hashDrupalInWorker(plain: string, countLog2: number, o?: LegacyPoolOptions): Promise<string | null> {
  const task: DrupalHashTask = { plain, countLog2 };
  return (await pool(o).run(task, { name: 'hashDrupal' })) as string | null;
}

/** Stops the shared pool's threads (tests and benchmarks that want a clean exit; it restarts on next use). */
export async function closeLegacyPool(): Promise<void> {
  const p = shared;
  shared = null;
  if (p) await p.destroy();
}
