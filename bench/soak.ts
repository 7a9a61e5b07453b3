// Soak: mixed load (register, login, token, retrieve, update, failed logins, worst-case bodies) against a
// `gatehouse serve` child on SQLite, printing the server's RSS and the p99 latency per period. Not in CI.
//   node --import tsx bench/soak.ts [minutes, default 30] [period seconds, default 60] [clients, default 16]
// Flat RSS and flat p99 over the run are the goal.
import fs from 'node:fs';
import { adminSession, startGatehouse, stop } from './lib.js';

const MINUTES = Number(process.argv[2]) || 30;
const PERIOD_S = Number(process.argv[3]) || 60;
const CLIENTS = Number(process.argv[4]) || 16;

const { url, child, dir } = await startGatehouse({
  env: { GATEHOUSE_VARIABLE_user_register: '1', GATEHOUSE_VARIABLE_user_email_verification: 'false', GATEHOUSE_REGISTRATIONS_PER_IP: '0' },
});
const admin = await adminSession(url);
let latencies: number[] = [];
let errors = 0;
let stopped = false;

async function timed(path: string, init: RequestInit = {}): Promise<Response | null> {
  const t0 = performance.now();
  try {
    const r = await fetch(`${url}${path}`, { ...init, headers: { 'content-type': 'application/json', accept: 'application/json', ...(init.headers ?? {}) } });
    await r.arrayBuffer();
    latencies.push(performance.now() - t0);
    if (r.status >= 500) errors++;
    return r;
  } catch {
    errors++;
    return null;
  }
}

async function client(id: number): Promise<void> {
  for (let i = 0; !stopped; i++) {
    const name = `soak_${id}_${i}_${Date.now()}`;
    const op = i % 10;
    if (op === 0) await timed('/rest/user/register.json', { method: 'POST', body: JSON.stringify({ name, mail: `${name}@example.com`, pass: 'pw-123456' }) });
    else if (op === 1) await timed('/rest/user/login.json', { method: 'POST', body: JSON.stringify({ username: 'admin', password: 'wrong' }) });
    else if (op === 2) await timed('/rest/user/register.json', { method: 'POST', headers: { 'content-type': 'application/xml' }, body: `<d>${'<a x="1">v</a>'.repeat(3000)}</d>` });
    else if (op === 3) await timed('/rest/user/1.json', { method: 'PUT', headers: { cookie: admin.cookie, 'x-csrf-token': admin.token }, body: JSON.stringify({ signature: `s${i}` }) });
    else if (op < 7) await timed('/services/session/token', { headers: { cookie: admin.cookie } });
    else await timed('/rest/user/1.json', { headers: { cookie: admin.cookie } });
  }
}

function rssOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

console.log(`soak: ${MINUTES} min, ${CLIENTS} clients, report every ${PERIOD_S} s (server pid ${child.pid})`);
console.log('period  requests   p50 ms   p99 ms   5xx/err   RSS MB');
const clients = Array.from({ length: CLIENTS }, (_, i) => client(i));
const periods = Math.ceil((MINUTES * 60) / PERIOD_S);
for (let p = 1; p <= periods; p++) {
  await new Promise((r) => setTimeout(r, PERIOD_S * 1000));
  const sorted = latencies.sort((a, b) => a - b);
  const q = (f: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(f * sorted.length))] : NaN);
  console.log(`${String(p).padStart(6)}  ${String(sorted.length).padStart(8)}  ${q(0.5).toFixed(1).padStart(7)}  ${q(0.99).toFixed(1).padStart(7)}  ${String(errors).padStart(8)}  ${rssOf(child.pid!).toFixed(0).padStart(7)}`);
  latencies = [];
  errors = 0;
}
stopped = true;
await Promise.all(clients);
await stop(child);
fs.rmSync(dir, { recursive: true, force: true });
