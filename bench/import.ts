/**
 * Drupal 7 import benchmark (run: node --import tsx bench/import.ts [users=100000]).
 *
 * 1. Import: a generated Drupal 7 site in MariaDB (N users with `$S$D` hashes, half of them with a role, N/10
 *    live sessions) imported into a fresh SQLite Gatehouse database: rows per second and peak memory (maxRSS).
 * 2. Logins: 64 first logins with legacy `$S$D` hashes (8 at a time) while a client polls
 *    GET /services/session/token one request at a time: the token's p50/p99/max latency, with verification on
 *    worker threads (Gatehouse) and, in the same run, on the event loop (the former in-thread sliced check).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { hashSessionId } from '../src/core/crypto/session-id.js';
import { drupalCheckPassword, passwordCrypt } from '../src/core/passwords/drupal-hash.js';
import { createFastTestHasher, type PasswordHasher } from '../src/core/passwords/password-hasher.js';
import { closeLegacyPool } from '../src/core/passwords/legacy-hash-pool.js';
import { importDrupal7 } from '../src/import/drupal7/import-drupal7.js';
import { createProgress } from '../src/import/drupal7/progress.js';
import { openSource } from '../src/import/drupal7/source.js';
import { openImportTarget } from '../src/import/drupal7/target.js';
import { loadConfig } from '../src/config/load-config.js';
import { createServer } from '../src/gatehouse.js';
import { DRUPAL7_SCHEMA, USER_INSERT, userRow } from '../test/import/helpers/drupal7-schema.js';
import { createScratchDb } from '../test/import/helpers/mariadb.js';

const N = Number(process.argv[2] ?? 100_000);
const PASSWORD = 'bench-pass';
const HASH = passwordCrypt('sha512', PASSWORD, '$S$Dbenchslt') as string;
const NOW = 1_800_000_000;

const mariadb = await createScratchDb();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gh-bench-import-'));
try {
  console.log(`generating a Drupal 7 site with ${N} users in MariaDB (${mariadb.name})…`);
  await mariadb.exec(DRUPAL7_SCHEMA);
  await mariadb.exec("INSERT INTO role (rid, name, weight) VALUES (1,'anonymous user',0),(2,'authenticated user',1),(3,'administrator',2),(4,'member',3)");
  await mariadb.exec("INSERT INTO variable (name, value) VALUES ('hashed_session_ids_supported','b:1;'),('site_name','s:5:\"Bench\";')");
  for (let start = 1; start <= N; start += 2000) {
    const users = [];
    const roles = [];
    const sessions = [];
    for (let uid = start; uid < Math.min(start + 2000, N + 1); uid++) {
      users.push(userRow({ uid, name: `user${uid}`, pass: HASH, mail: `user${uid}@bench.test`, login: 1700000000, access: 1700000000, data: 'b:0;' }));
      if (uid % 2 === 0) roles.push([uid, 4]);
      if (uid % 10 === 0) sessions.push([uid, hashSessionId(`raw-session-${uid}`), '', '10.0.0.1', NOW - 60, 0, '']);
    }
    await mariadb.exec(USER_INSERT, [users]);
    if (roles.length > 0) await mariadb.exec('INSERT INTO users_roles (uid, rid) VALUES ?', [roles]);
    if (sessions.length > 0) await mariadb.exec('INSERT INTO sessions (uid, sid, ssid, hostname, timestamp, cache, session) VALUES ?', [sessions]);
  }

  const targetUrl = `sqlite:${path.join(dir, 'gatehouse.sqlite')}`;
  const source = await openSource(mariadb.url);
  const target = await openImportTarget(targetUrl);
  const rssBefore = process.memoryUsage().rss;
  const t0 = performance.now();
  const report = await importDrupal7({ source, target, options: { hashSalt: 'bench-salt' }, progress: createProgress() });
  const seconds = (performance.now() - t0) / 1000;
  await target.close();
  await source.close();
  const peakMb = process.resourceUsage().maxRSS / 1024;
  const rows = report.rowsWritten;
  console.log(`import: ${report.tally('users').imported} users, ${rows} rows written in ${seconds.toFixed(1)} s → ${Math.round(N / seconds)} users/s, ${Math.round(rows / seconds)} rows/s`);
  console.log(`memory: peak RSS ${peakMb.toFixed(0)} MB (RSS before the import ${(rssBefore / 1048576).toFixed(0)} MB)`);

  const workers = await loginLatency(targetUrl, createFastTestHasher(), 1);
  const inline = await loginLatency(targetUrl, inlineLegacyHasher(createFastTestHasher()), 1001);
  console.log(`token p50/p99/max (ms) while 64 legacy logins run — worker threads: ${fmt(workers)}; on the event loop: ${fmt(inline)}`);
  console.log(`p99 ratio event loop ÷ workers: ${(inline.p99 / workers.p99).toFixed(1)}`);
} finally {
  await closeLegacyPool();
  await mariadb.drop();
  fs.rmSync(dir, { recursive: true, force: true });
}

function fmt(s: { p50: number; p99: number; max: number; logins: number }): string {
  return `${s.p50.toFixed(1)} / ${s.p99.toFixed(1)} / ${s.max.toFixed(1)} (${s.logins} logins ok)`;
}

/** The former verification: Drupal hashes checked on the event loop, yielding between slices. */
function inlineLegacyHasher(base: PasswordHasher): PasswordHasher {
  return { ...base, verify: (plain, stored) => (stored.startsWith('$argon2') ? base.verify(plain, stored) : drupalCheckPassword(plain, stored)) };
}

async function loginLatency(databaseUrl: string, hasher: PasswordHasher, firstUid: number) {
  const config = loadConfig({ env: {}, overrides: { host: '127.0.0.1', port: 0, databaseUrl, logLevel: 'silent', mailWorker: false } });
  const server = await createServer(config, { hasher, logger: false, clock: { now: () => NOW } });
  await server.app.listen({ host: '127.0.0.1', port: 0 });
  const address = server.app.server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  await fetch(`${url}/services/session/token`).then((r) => r.text());
  // Warm-up: one legacy login first, so worker start-up is not measured.
  await fetch(`${url}/rest/user/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: `user${firstUid + 64}`, password: PASSWORD }) }).then((r) => r.text());
  let running = true;
  let logins = 0;
  const queue = Array.from({ length: 64 }, (_, i) => firstUid + i);
  const loginWorker = async () => {
    for (let uid = queue.shift(); uid !== undefined; uid = queue.shift()) {
      const res = await fetch(`${url}/rest/user/login`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify({ username: `user${uid}`, password: PASSWORD }) });
      await res.text();
      if (res.status === 200) logins++;
    }
  };
  const samples: number[] = [];
  const poll = async () => {
    while (running) {
      const t = performance.now();
      await fetch(`${url}/services/session/token`).then((r) => r.text());
      samples.push(performance.now() - t);
      await new Promise((r) => setTimeout(r, 2));
    }
  };
  const poller = poll();
  await Promise.all(Array.from({ length: 8 }, loginWorker));
  running = false;
  await poller;
  await server.close();
  samples.sort((a, b) => a - b);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))];
  return { p50: at(0.5), p99: at(0.99), max: samples[samples.length - 1], logins };
}
