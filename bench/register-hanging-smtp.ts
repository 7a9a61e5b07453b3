/**
 * Register with a hanging SMTP server: a Gatehouse server process (outbox worker in-process) whose
 * GATEHOUSE_SMTP_URL points at a server that accepts connections and never answers, against the same
 * server delivering to an .eml folder, measured in one run. Each register is a fresh visitor's
 * `POST /rest/user/register.json` (no session, so no token), with the site open to visitors
 * (user_register=1, no verification), so every call queues a welcome mail. Prints p50/p99 of register
 * latency, sequential and with 10 concurrent clients. Goal: p99 < 50 ms with the hanging server (the
 * recorded Drupal site took the full hang). Run: npm run build && node --import tsx bench/register-hanging-smtp.ts
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startGatehouse, stop } from './lib.js';

const COUNT = Number(process.env.BENCH_REGISTERS ?? 300);

/** Accepts TCP connections and never writes a byte (no SMTP greeting, no reply to anything). */
async function startSilentSmtp(): Promise<{ port: number; connections: () => number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  let connections = 0;
  const server = net.createServer((s) => { connections++; sockets.add(s); s.on('error', () => undefined); });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    port: (server.address() as net.AddressInfo).port,
    connections: () => connections,
    close: () => new Promise<void>((resolve) => { for (const s of sockets) s.destroy(); server.close(() => resolve()); }),
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function register(url: string, i: number, tag: string): Promise<number> {
  const t0 = performance.now();
  const r = await fetch(`${url}/rest/user/register.json`, {
    method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ name: `${tag}${i}`, mail: `${tag}${i}@example.com`, pass: `pw-${tag}-${i}` }),
  });
  await r.arrayBuffer();
  const ms = performance.now() - t0;
  if (r.status !== 200) throw new Error(`register ${tag}${i}: ${r.status} ${r.statusText}`);
  return ms;
}

/** request_new_password for an account registered earlier: no password hashing, one outbox insert. */
async function requestNewPassword(url: string, i: number, tag: string): Promise<number> {
  const t0 = performance.now();
  const r = await fetch(`${url}/rest/user/request_new_password.json`, {
    method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, body: JSON.stringify({ name: `${tag}${i}` }),
  });
  await r.arrayBuffer();
  if (r.status !== 200) throw new Error(`request_new_password ${tag}${i}: ${r.status} ${r.statusText}`);
  return performance.now() - t0;
}

async function run(url: string, tag: string, concurrency: number, call = register): Promise<{ p50: number; p99: number; max: number }> {
  const times: number[] = [];
  let next = 0;
  const lane = async () => { while (next < COUNT) { const i = next++; times.push(await call(url, i, tag)); } };
  for (let i = 0; i < 10; i++) await call(url, i, call === register ? `${tag}warm` : tag);
  await Promise.all(Array.from({ length: concurrency }, lane));
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99), max: times[times.length - 1] };
}

const fmt = (r: { p50: number; p99: number; max: number }) => `p50 ${r.p50.toFixed(1)} ms  p99 ${r.p99.toFixed(1)} ms  max ${r.max.toFixed(1)} ms`;
// The reset-mail limits (50 per hour per address) would stop queuing after 50 requests from this one address.
const site = { GATEHOUSE_VARIABLE_user_pass_reset_ip_limit: '100000', GATEHOUSE_MAIL_WORKER: '1', GATEHOUSE_VARIABLE_user_register: '1', GATEHOUSE_VARIABLE_user_email_verification: 'false', GATEHOUSE_LOG_LEVEL: 'error' };

const smtp = await startSilentSmtp();
const mailDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-bench-eml-'));
const hanging = await startGatehouse({ env: { ...site, GATEHOUSE_SMTP_URL: `smtp://127.0.0.1:${smtp.port}` } });
const eml = await startGatehouse({ env: { ...site, GATEHOUSE_MAIL_DIR: mailDir } });
try {
  const h1 = await run(hanging.url, 'hs', 1);
  const e1 = await run(eml.url, 'es', 1);
  const h10 = await run(hanging.url, 'hc', 10);
  const e10 = await run(eml.url, 'ec', 10);
  const r1 = await run(hanging.url, 'hs', 1, requestNewPassword);
  const re1 = await run(eml.url, 'es', 1, requestNewPassword);
  console.log(`POST /rest/user/register.json, ${COUNT} registrations per row (SQLite, one process, outbox worker in-process):`);
  console.log(`  hanging SMTP, 1 client     ${fmt(h1)}`);
  console.log(`  .eml folder,  1 client     ${fmt(e1)}`);
  console.log(`  hanging SMTP, 10 clients   ${fmt(h10)}`);
  console.log(`  .eml folder,  10 clients   ${fmt(e10)}`);
  console.log(`POST /rest/user/request_new_password.json, ${COUNT} accounts (no password hashing; one outbox row each):`);
  console.log(`  hanging SMTP, 1 client     ${fmt(r1)}`);
  console.log(`  .eml folder,  1 client     ${fmt(re1)}`);
  console.log(`  SMTP connections opened by the worker: ${smtp.connections()} (none ever answered); .eml files written: ${fs.readdirSync(mailDir).length}`);
  console.log(`  p99 ratio hanging ÷ eml: ${(h1.p99 / e1.p99).toFixed(2)} (1 client), ${(h10.p99 / e10.p99).toFixed(2)} (10 clients); goal: p99 < 50 ms with hanging SMTP, 1 client → ${h1.p99 < 50 ? 'met' : 'NOT met'}`);
} finally {
  await stop(hanging.child);
  await stop(eml.child);
  await smtp.close();
  fs.rmSync(mailDir, { recursive: true, force: true });
}
