/** Shared pieces of the benchmarks: child servers on free ports, autocannon runs, ratio printing. */
import autocannon from 'autocannon';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

export async function waitFor(url: string, ms = 20_000): Promise<void> {
  const t0 = Date.now();
  while (Date.now() - t0 < ms) {
    try { const r = await fetch(url); await r.arrayBuffer(); return; } catch { await new Promise((r) => setTimeout(r, 100)); }
  }
  throw new Error(`${url} did not come up`);
}

/** The reference: a bare node:http server answering a 43-byte text body. */
export async function startBareNode(): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const code = `require('node:http').createServer((q, s) => { s.writeHead(200, {'Content-Type': 'text/plain;charset=UTF-8'}); s.end('B8aDOoAg6Xtb54KAYik_8dQWOsjFrIS8RRTbVM0xTG8'); }).listen(${port}, '127.0.0.1');`;
  const child = spawn(process.execPath, ['-e', code], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(url);
  return { url, child };
}

/** A Gatehouse server process over `databaseUrl`, with an administrator admin/admin. */
export async function startGatehouse(o: { databaseUrl?: string; workers?: number; env?: Record<string, string> } = {}): Promise<{ url: string; child: ChildProcess; dir: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-bench-'));
  const port = await freePort();
  const env = {
    ...process.env, GATEHOUSE_PORT: String(port), GATEHOUSE_HOST: '127.0.0.1', GATEHOUSE_LOG_LEVEL: 'warn', GATEHOUSE_MAIL_WORKER: '0',
    DATABASE_URL: o.databaseUrl ?? `sqlite:${path.join(dir, 'bench.sqlite')}`, ...(o.env ?? {}),
  };
  const cli = (...args: string[]) => execFileSync(process.execPath, [path.join(ROOT, 'bin/gatehouse.mjs'), ...args], { env, cwd: ROOT, stdio: 'pipe' });
  cli('migrate');
  try { cli('user', 'add', 'admin', '--mail', 'admin@example.com', '--password', 'admin', '--role', 'administrator'); } catch { /* exists (shared database) */ }
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/gatehouse.mjs'), 'serve', '--workers', String(o.workers ?? 1)], { env, cwd: ROOT, stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  // A loaded machine may take a while to start a cluster; a server that never comes up is not left behind.
  await waitFor(`${url}/healthz`, 90_000).catch(async (err) => { await stop(child); throw err; });
  return { url, child, dir };
}

export async function adminSession(url: string): Promise<{ cookie: string; token: string }> {
  const r = await fetch(`${url}/rest/user/login`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'admin' }) });
  const j = (await r.json()) as { session_name: string; sessid: string; token: string };
  return { cookie: `${j.session_name}=${j.sessid}`, token: j.token };
}

export interface Measured { rps: number; p50: number; p99: number; non2xx: number; errors: number }

export async function measure(url: string, headers: Record<string, string> = {}, seconds = Number(process.env.BENCH_SECONDS ?? 5)): Promise<Measured> {
  const r = await autocannon({ url, headers, connections: 20, pipelining: 1, duration: seconds });
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors };
}

export function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) { resolve(); return; }
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 5000).unref();
  });
}

export function row(name: string, m: Measured, reference?: Measured): string {
  const ratio = reference ? ` ratio ${(m.rps / reference.rps).toFixed(2)}` : '';
  return `${name.padEnd(44)} ${m.rps.toFixed(0).padStart(7)} req/s  p50 ${m.p50} ms  p99 ${m.p99} ms  non-2xx ${m.non2xx}${ratio}`;
}
