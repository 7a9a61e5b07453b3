import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

/** The `gatehouse` command line, run as a user runs it (the built bin). */
export const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
export const BIN = path.join(ROOT, 'bin/gatehouse.mjs');

export interface CliResult { code: number | null; out: string; err: string }

/** Runs `gatehouse …args` to completion; `input` is written to its stdin. */
export function gatehouse(args: string[], env: Record<string, string>, input?: string): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 60_000, input });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/**
 * The same without blocking the event loop: use it while the test also talks HTTP to a server (a blocked
 * loop misses the server closing idle keep-alive connections, and the next fetch fails on a dead socket).
 */
export function gatehouseAsync(args: string[], env: Record<string, string>, input?: string): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, ...env } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => { out += String(d); });
    child.stderr.on('data', (d) => { err += String(d); });
    child.on('close', (code) => resolve({ code, out, err }));
    child.stdin.end(input ?? '');
  });
}

/** `gatehouse …args --json`, parsed; throws with stderr when the command fails. */
export async function gatehouseJson<T = unknown>(args: string[], env: Record<string, string>): Promise<T> {
  const r = await gatehouseAsync([...args, '--json'], env);
  if (r.code !== 0) throw new Error(`gatehouse ${args.join(' ')} failed (${r.code}): ${r.err}`);
  return JSON.parse(r.out) as T;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => { const { port } = s.address() as net.AddressInfo; s.close(() => resolve(port)); });
  });
}

export interface ServedCli { child: ChildProcess; output: () => string; url: string; port: number }

/** `gatehouse serve` on a free port, once /healthz answers; `args` go after `serve`. */
export async function serve(env: Record<string, string>, o: { mailWorker?: boolean; cwd?: string } = {}): Promise<ServedCli> {
  const port = await freePort();
  let output = '';
  const child = spawn(process.execPath, [BIN, 'serve'], {
    cwd: o.cwd ?? ROOT,
    env: { ...process.env, ...env, GATEHOUSE_PORT: String(port), ...(o.mailWorker ? {} : { GATEHOUSE_MAIL_WORKER: '0' }) },
  });
  child.stdout?.on('data', (d) => { output += String(d); });
  child.stderr?.on('data', (d) => { output += String(d); });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 150; i++) {
    if (child.exitCode !== null) break;
    try { await fetch(`${url}/healthz`); return { child, output: () => output, url, port }; } catch { await new Promise((r) => setTimeout(r, 100)); }
  }
  child.kill('SIGKILL');
  throw new Error(`server did not start: ${output}`);
}

export const stop = (child: ChildProcess): Promise<void> => new Promise<void>((resolve) => {
  if (child.exitCode !== null) { resolve(); return; }
  child.once('exit', () => resolve());
  child.kill('SIGTERM');
});
