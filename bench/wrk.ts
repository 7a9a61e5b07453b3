/**
 * Load from `wrk` (Debian's package: apt-get install -y wrk), as the issue's table is measured: one thread,
 * a fixed number of keep-alive connections, a request described by a small Lua script (method, headers, a
 * body, optionally a body made fresh for every request). Falls back to autocannon when wrk is missing.
 */
import autocannon from 'autocannon';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Measured } from './lib.js';

export interface Load {
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** A body made fresh for each request: `{n}` in it is replaced by a counter (unique names for registrations). */
  bodyTemplate?: string;
  connections?: number;
  seconds?: number;
}

export const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
export const HAVE_WRK = spawnSync('wrk', ['--version']).error === undefined;

const lua = (s: string) => JSON.stringify(s);

function script(load: Load): string {
  const lines = [`wrk.method = ${lua(load.method ?? 'GET')}`];
  for (const [k, v] of Object.entries(load.headers ?? {})) lines.push(`wrk.headers[${lua(k)}] = ${lua(v)}`);
  if (load.body !== undefined) lines.push(`wrk.body = ${lua(load.body)}`);
  if (load.bodyTemplate !== undefined) {
    lines.push('local n = 0', `local prefix = ${lua(`${process.pid}${Date.now() % 100000}`)}`, `local template = ${lua(load.bodyTemplate)}`,
      'request = function() n = n + 1; local body = template:gsub("{n}", prefix .. n); return wrk.format(nil, nil, nil, body) end');
  }
  return `${lines.join('\n')}\n`;
}

/** Milliseconds from wrk's "1.23ms" / "850.00us" / "1.02s". */
function ms(text: string): number {
  const m = /^([\d.]+)(us|ms|s|m)$/.exec(text.trim());
  if (!m) return NaN;
  const f = { us: 0.001, ms: 1, s: 1000, m: 60_000 }[m[2] as 'us' | 'ms' | 's' | 'm'];
  return Number(m[1]) * f;
}

export function parseWrk(out: string): Measured {
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? NaN);
  const pct = (p: string) => ms(new RegExp(`^\\s+${p}%\\s+(\\S+)`, 'm').exec(out)?.[1] ?? '');
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0);
  const errs = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const errors = errs ? errs.slice(1).reduce((a, b) => a + Number(b), 0) : 0;
  return { rps, p50: pct('50'), p99: pct('99'), non2xx, errors };
}

/** Runs the load against `url` and reports requests/s and latency percentiles. */
export async function load(url: string, o: Load = {}): Promise<Measured> {
  const connections = o.connections ?? 16;
  const seconds = o.seconds ?? SECONDS;
  if (!HAVE_WRK) return autocannonLoad(url, o, connections, seconds);
  const file = path.join(os.tmpdir(), `gatehouse-bench-${process.pid}-${Math.random().toString(36).slice(2)}.lua`);
  fs.writeFileSync(file, script(o));
  try {
    const out = await new Promise<string>((resolve, reject) => {
      const child = spawn('wrk', ['-t1', `-c${connections}`, `-d${seconds}s`, '--timeout', '30s', '--latency', '-s', file, url]);
      let text = '';
      child.stdout.on('data', (d) => { text += d; });
      child.on('error', reject);
      child.on('exit', () => resolve(text));
    });
    return parseWrk(out);
  } finally {
    fs.rmSync(file, { force: true });
  }
}

async function autocannonLoad(url: string, o: Load, connections: number, seconds: number): Promise<Measured> {
  let n = 0;
  const prefix = `${process.pid}${Date.now() % 100000}`;
  const r = await autocannon({
    url, connections, duration: seconds, method: o.method ?? 'GET', headers: o.headers, body: o.body,
    ...(o.bodyTemplate ? { requests: [{ setupRequest: (req: any) => ({ ...req, body: o.bodyTemplate?.replaceAll('{n}', `${prefix}${++n}`) }) }] } : {}),
  });
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors };
}
