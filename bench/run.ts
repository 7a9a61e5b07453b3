/**
 * `npm run bench`: every row of issue 14's table in one run, on SQLite and on PostgreSQL, each throughput a
 * ratio to a bare node:http server measured in the same run (the mean of a run before and one after).
 * Load comes from wrk (`-t1 -c16`, BENCH_SECONDS per measurement, default 5), autocannon when wrk is missing.
 * PostgreSQL: GATEHOUSE_BENCH_PG_URL (default the local `test` database), in a schema of its own, dropped after.
 * The server runs with the Node options the Dockerfile sets (NODE_OPTIONS), as deployed.
 * Run: npm run build && npm run bench        (BENCH_DATABASES=sqlite to skip PostgreSQL)
 */
import pg from 'pg';
import { defaultHashThreads } from '../src/core/passwords/hash-limiter.js';
import fs from 'node:fs';
import path from 'node:path';
import { adminSession, type Measured, ROOT, startBareNode, startGatehouse, stop } from './lib.js';
import { rawVerifyRate, registerStorm, type Storm } from './storm.js';
import { HAVE_WRK, load, SECONDS } from './wrk.js';

interface Suite {
  token: Measured; retrieve: Measured; connectAnonymous: Measured; connectSession: Measured; login: Measured; storm: Storm; defaultYoungStorm: Storm;
  workers2: { token: Measured; retrieve: Measured; connectSession: Measured };
}

const JSON_HEADERS = { 'Content-Type': 'application/json', Accept: 'application/json' };
/** Visitors may register without approval (the storm), as on the seed's site. */
const SITE_ENV = { GATEHOUSE_VARIABLE_user_register: '1', GATEHOUSE_VARIABLE_user_email_verification: 'false' };
/** The Node options the image, the unit file and `npm start` run the server with (read from the Dockerfile). */
const SHIPPED_NODE_OPTIONS = /^ENV NODE_OPTIONS=(.*)$/m.exec(fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8'))?.[1] ?? '';
/** Every measurement runs the server as shipped; one storm runs it with V8's default young generation, to compare. */
const SHIPPED = { ...SITE_ENV, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} ${SHIPPED_NODE_OPTIONS}`.trim() };
const V8_DEFAULT = { ...SITE_ENV, NODE_OPTIONS: process.env.NODE_OPTIONS ?? '' };

/** The requests every setup answers: token, retrieve, connect (with a session). */
async function common(url: string) {
  const admin = await adminSession(url);
  const session = { Cookie: admin.cookie, 'X-CSRF-Token': admin.token };
  return {
    admin,
    token: await load(`${url}/services/session/token`, { headers: { Cookie: admin.cookie } }),
    retrieve: await load(`${url}/rest/user/1.json`, { headers: { Cookie: admin.cookie, Accept: 'application/json' } }),
    connectSession: await load(`${url}/rest/system/connect.json`, { method: 'POST', headers: { ...JSON_HEADERS, ...session }, body: '{}' }),
  };
}

async function suite(databaseUrl: string | undefined): Promise<Suite> {
  const gate = await startGatehouse({ databaseUrl, env: SHIPPED });
  let one: Omit<Suite, 'workers2' | 'defaultYoungStorm'>;
  try {
    const { admin, ...measured } = await common(gate.url);
    const connectAnonymous = await load(`${gate.url}/rest/system/connect.json`, { method: 'POST', headers: JSON_HEADERS, body: '{}' });
    const login = await load(`${gate.url}/rest/user/login.json`, { method: 'POST', headers: JSON_HEADERS, body: '{"username":"admin","password":"admin"}' });
    const storm = await registerStorm(gate.url, gate.child.pid as number, admin.cookie);
    one = { ...measured, connectAnonymous, login, storm };
  } finally {
    await stop(gate.child);
  }
  const v8Default = await startGatehouse({ databaseUrl, env: V8_DEFAULT });
  let defaultYoungStorm: Storm;
  try {
    const admin = await adminSession(v8Default.url);
    await load(`${v8Default.url}/rest/user/1.json`, { headers: { Cookie: admin.cookie, Accept: 'application/json' } });
    defaultYoungStorm = await registerStorm(v8Default.url, v8Default.child.pid as number, admin.cookie);
  } finally {
    await stop(v8Default.child);
  }
  const two = await startGatehouse({ databaseUrl, workers: 2, env: SHIPPED });
  try {
    const { admin: _, ...workers2 } = await common(two.url);
    return { ...one, defaultYoungStorm, workers2 };
  } finally {
    await stop(two.child);
  }
}

async function postgresSchema(): Promise<{ url: string; drop(): Promise<void> }> {
  const base = process.env.GATEHOUSE_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const schema = `gh_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  const url = new URL(base);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return { url: url.toString(), drop: async () => { await admin.query(`drop schema if exists ${schema} cascade`); await admin.end(); } };
}

const databases = (process.env.BENCH_DATABASES ?? 'sqlite,postgres').split(',');
const bare = await startBareNode();
const results: Record<string, Suite> = {};
let raw = 0;
let ref: Measured;
try {
  const before = await load(bare.url);
  if (databases.includes('sqlite')) results.SQLite = await suite(undefined);
  if (databases.includes('postgres')) {
    const pgSchema = await postgresSchema();
    try { results.PostgreSQL = await suite(pgSchema.url); } finally { await pgSchema.drop(); }
  }
  raw = await rawVerifyRate();
  const after = await load(bare.url);
  ref = { ...before, rps: (before.rps + after.rps) / 2, p99: Math.max(before.p99, after.p99) };
  console.log(`bare node:http ${before.rps.toFixed(0)} req/s before, ${after.rps.toFixed(0)} after; raw argon2id verify ${raw.toFixed(1)}/s with ${defaultHashThreads()} thread(s)`);
} finally {
  await stop(bare.child);
}

const names = Object.keys(results);
const ratio = (m: Measured) => `${(m.rps / ref.rps).toFixed(2)} (p99 ${m.p99.toFixed(1)} ms${m.non2xx ? `, ${m.non2xx} non-2xx` : ''})`;
const rows: Array<[string, (s: Suite) => string, string]> = [
  ['GET /services/session/token with cookie', (s) => ratio(s.token), '≥ 0.6, p99 < 5 ms'],
  ['GET /rest/user/1.json as admin', (s) => ratio(s.retrieve), '≥ 0.5 SQLite, ≥ 0.3 PostgreSQL'],
  ['POST /rest/system/connect anonymous', (s) => ratio(s.connectAnonymous), '≥ 0.5'],
  ['POST /rest/system/connect with cookie + token', (s) => ratio(s.connectSession), '≥ 0.4 SQLite, ≥ 0.3 PostgreSQL'],
  ['login (× raw argon2id verify rate)', (s) => `${(s.login.rps / raw).toFixed(2)} (${s.login.rps.toFixed(1)}/s${s.login.non2xx ? `, ${s.login.non2xx} non-2xx` : ''})`, '≥ 0.95 × raw, same hash threads'],
  ['token p99 while 16 clients register', (s) => `${s.storm.token.p99.toFixed(1)} ms (${s.storm.register.rps.toFixed(1)} reg/s${s.storm.register.non2xx ? `, ${s.storm.register.non2xx} non-2xx` : ''})`, '< 10 ms on SQLite'],
  ['RSS during a 16-client register storm', (s) => `${s.storm.maxRssMb.toFixed(0)} MB (idle ${s.storm.idleRssMb.toFixed(0)})`, '≤ 150 MB'],
  ['same, V8\'s default young generation (no NODE_OPTIONS)', (s) => `${s.defaultYoungStorm.maxRssMb.toFixed(0)} MB (idle ${s.defaultYoungStorm.idleRssMb.toFixed(0)}; token p99 ${s.defaultYoungStorm.token.p99.toFixed(1)} ms)`, '≤ 150 MB'],
  ['--workers 2: token / retrieve / connect', (s) => [s.workers2.token, s.workers2.retrieve, s.workers2.connectSession].map((m) => (m.rps / ref.rps).toFixed(2)).join(' / '), 'more than one process'],
];
console.log(`\n${HAVE_WRK ? 'wrk -t1 -c16' : 'autocannon -c16'} -d${SECONDS}s; throughput = ratio to bare node:http measured in this run; server NODE_OPTIONS=${SHIPPED.NODE_OPTIONS}`);
console.log(`| Work | ${names.join(' | ')} | Goal |\n|---|${names.map(() => '---|').join('')}---|`);
for (const [work, cell, goal] of rows) console.log(`| ${work} | ${names.map((n) => cell(results[n])).join(' | ')} | ${goal} |`);
