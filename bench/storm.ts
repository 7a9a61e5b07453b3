/**
 * The password-hash rows of the benchmark: a register storm (16 clients registering new accounts) with the
 * token's latency measured beside it and the server's memory sampled throughout, and the raw argon2id verify
 * rate the login row is compared with (same parameters, as many in flight as the server has hash threads).
 */
import { Algorithm, hash, verify } from '@node-rs/argon2';
import fs from 'node:fs';
import { defaultHashThreads } from '../src/core/passwords/hash-limiter.js';
import { DEFAULT_ARGON2 } from '../src/core/passwords/password-hasher.js';
import type { Measured } from './lib.js';
import { load, SECONDS } from './wrk.js';

/** Resident memory (MB) of a process and every process below it (cluster workers), from /proc. */
export function rssOfTree(pid: number): number {
  let kb = 0;
  const visit = (p: number) => {
    try {
      kb += Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? 0);
      for (const task of fs.readdirSync(`/proc/${p}/task`)) {
        for (const child of fs.readFileSync(`/proc/${p}/task/${task}/children`, 'utf8').split(' ').filter(Boolean)) visit(Number(child));
      }
    } catch { /* gone meanwhile */ }
  };
  visit(pid);
  return kb / 1024;
}

export interface Storm { register: Measured; token: Measured; maxRssMb: number; idleRssMb: number }

/** 16 clients register for SECONDS; meanwhile one client asks for its token, and the server's RSS is sampled. */
export async function registerStorm(url: string, pid: number, cookie: string): Promise<Storm> {
  const idleRssMb = rssOfTree(pid);
  let maxRssMb = idleRssMb;
  const sampler = setInterval(() => { maxRssMb = Math.max(maxRssMb, rssOfTree(pid)); }, 100);
  try {
    const [register, token] = await Promise.all([
      load(`${url}/rest/user/register.json`, {
        method: 'POST', connections: 16, headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        bodyTemplate: '{"name":"storm{n}","mail":"storm{n}@example.com","pass":"storm-password"}',
      }),
      load(`${url}/services/session/token`, { connections: 1, headers: { Cookie: cookie } }),
    ]);
    return { register, token, maxRssMb, idleRssMb };
  } finally {
    clearInterval(sampler);
  }
}

/** argon2id verifications per second with `threads` in flight (the server's default hash threads), SECONDS long. */
export async function rawVerifyRate(threads = defaultHashThreads()): Promise<number> {
  const stored = await hash('admin', { ...DEFAULT_ARGON2, algorithm: Algorithm.Argon2id });
  let done = 0;
  const until = Date.now() + SECONDS * 1000;
  await Promise.all(Array.from({ length: threads }, async () => {
    while (Date.now() < until) { await verify(stored, 'admin'); done++; }
  }));
  return done / SECONDS;
}
