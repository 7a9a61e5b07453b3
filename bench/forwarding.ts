/**
 * Forwarding benchmark (run: node --import tsx bench/forwarding.ts [seconds=6] [concurrency=1]).
 *
 * A bare node:http origin (the stand-in for the legacy site) and a Gatehouse server in strangler mode in front of
 * it run as separate processes. The same client (undici, keep-alive, fixed concurrency) measures latency per
 * request, with microsecond resolution, calling the origin directly and through Gatehouse (a path outside its
 * endpoints, and an undeclared resource on its endpoint), alternating the runs. Prints p50/p99 and the p50
 * added by forwarding (goal: at most +1 ms).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Pool } from 'undici';
import { freePort, ROOT, startBareNode, stop, waitFor } from './lib.js';

const SECONDS = Number(process.argv[2] ?? 6);
const CONCURRENCY = Number(process.argv[3] ?? 1);

async function startStrangler(origin: string): Promise<{ url: string; child: ChildProcess; dir: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-fwd-bench-'));
  const port = await freePort();
  const env = {
    ...process.env, GATEHOUSE_PORT: String(port), GATEHOUSE_HOST: '127.0.0.1', GATEHOUSE_LOG_LEVEL: 'warn', GATEHOUSE_MAIL_WORKER: '0',
    DATABASE_URL: `sqlite:${path.join(dir, 'bench.sqlite')}`, GATEHOUSE_LEGACY_ORIGIN: origin,
  };
  const script = "const { loadConfig } = await import('./src/config/load-config.ts'); const { runServer } = await import('./src/server.ts'); await runServer(loadConfig());";
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { env, cwd: ROOT, stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`${url}/healthz`, 60_000);
  return { url, child, dir };
}

interface Run { p50: number; p99: number; count: number; failures: number }

/** `CONCURRENCY` clients in a loop for `seconds`; latency of each request in ms (hrtime). */
async function measure(url: string, requestPath: string, seconds: number): Promise<Run> {
  const pool = new Pool(url, { connections: CONCURRENCY });
  const latencies: number[] = [];
  let failures = 0;
  const end = performance.now() + seconds * 1000;
  const worker = async () => {
    while (performance.now() < end) {
      const t0 = process.hrtime.bigint();
      const res = await pool.request({ method: 'GET', path: requestPath });
      await res.body.arrayBuffer();
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (res.statusCode !== 200) failures++;
      latencies.push(ms);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  await pool.close();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
  return { p50: at(0.5), p99: at(0.99), count: latencies.length, failures };
}

const fmt = (name: string, r: Run) =>
  `${name.padEnd(40)} p50 ${r.p50.toFixed(3)} ms  p99 ${r.p99.toFixed(3)} ms  ${(r.count / SECONDS).toFixed(0).padStart(6)} req/s  failures ${r.failures}`;

const origin = await startBareNode();
const gatehouse = await startStrangler(origin.url);
try {
  // Warm both paths (JIT, keep-alive connections) before measuring.
  await measure(origin.url, '/node/1', 1);
  await measure(gatehouse.url, '/node/1', 1);
  const direct: Run[] = [];
  const outside: Run[] = [];
  const endpoint: Run[] = [];
  for (let round = 0; round < 2; round++) {
    direct.push(await measure(origin.url, '/node/1', SECONDS / 2));
    outside.push(await measure(gatehouse.url, '/node/1', SECONDS / 2));
    endpoint.push(await measure(gatehouse.url, '/rest/node/1', SECONDS / 2));
  }
  const median = (runs: Run[]) => ({
    p50: runs.map((r) => r.p50).sort((a, b) => a - b)[Math.floor(runs.length / 2)],
    p99: Math.max(...runs.map((r) => r.p99)), count: runs.reduce((s, r) => s + r.count, 0), failures: runs.reduce((s, r) => s + r.failures, 0),
  });
  const d = median(direct);
  const o = median(outside);
  const e = median(endpoint);
  console.log(`forwarding benchmark: ${SECONDS} s per target in 2 alternating rounds, ${CONCURRENCY} concurrent keep-alive clients, ${os.cpus().length} cores`);
  console.log(fmt('origin directly  GET /node/1', d));
  console.log(fmt('through Gatehouse GET /node/1', o));
  console.log(fmt('through Gatehouse GET /rest/node/1', e));
  console.log(`added at p50: outside the endpoints +${(o.p50 - d.p50).toFixed(3)} ms, undeclared resource +${(e.p50 - d.p50).toFixed(3)} ms (goal: at most +1 ms)`);
} finally {
  await stop(gatehouse.child);
  await stop(origin.child);
  fs.rmSync(gatehouse.dir, { recursive: true, force: true });
}
