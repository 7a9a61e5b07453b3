/**
 * PostgreSQL beside SQLite: GET /services/session/token (with a session cookie) and GET /rest/user/1.json (as
 * admin) on each database, with one process and with `--workers 2`, every figure a ratio to a bare node:http
 * server measured in the same run. PostgreSQL: GATEHOUSE_BENCH_PG_URL (default the local `test` database),
 * in a schema of its own that is dropped afterwards.
 * Run: npm run build && node --import tsx bench/postgres.ts   (BENCH_SECONDS=5 per measurement)
 */
import pg from 'pg';
import { adminSession, type Measured, measure, row, startBareNode, startGatehouse, stop } from './lib.js';

const PG_URL = process.env.GATEHOUSE_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `gh_bench_${process.pid}`;
const admin = new pg.Client({ connectionString: PG_URL });
await admin.connect();
await admin.query(`create schema ${schema}`);
const pgUrl = new URL(PG_URL);
pgUrl.searchParams.set('options', `-c search_path=${schema}`);

const bare = await startBareNode();
const results: Array<{ name: string; token: Measured; retrieve: Measured }> = [];
try {
  const before = await measure(bare.url);
  const setups = [
    { name: 'SQLite, 1 process', databaseUrl: undefined, workers: 1 },
    { name: 'SQLite, --workers 2', databaseUrl: undefined, workers: 2 },
    { name: 'PostgreSQL, 1 process', databaseUrl: pgUrl.toString(), workers: 1 },
    { name: 'PostgreSQL, --workers 2', databaseUrl: pgUrl.toString(), workers: 2 },
  ];
  for (const setup of setups) {
    const gate = await startGatehouse({ databaseUrl: setup.databaseUrl, workers: setup.workers });
    try {
      const { cookie } = await adminSession(gate.url);
      const token = await measure(`${gate.url}/services/session/token`, { cookie });
      const retrieve = await measure(`${gate.url}/rest/user/1.json`, { cookie });
      results.push({ name: setup.name, token, retrieve });
    } finally {
      await stop(gate.child);
    }
  }
  const after = await measure(bare.url);
  const ref = { ...before, rps: (before.rps + after.rps) / 2 };
  console.log('20 connections, same run (ratio = req/s ÷ bare node req/s, bare node = mean of a run before and after):');
  console.log(row('bare node:http', ref));
  for (const r of results) {
    console.log(row(`${r.name}: token`, r.token, ref));
    console.log(row(`${r.name}: retrieve`, r.retrieve, ref));
  }
  console.log('ratios (token / retrieve):');
  for (const r of results) console.log(`  ${r.name.padEnd(26)} ${(r.token.rps / ref.rps).toFixed(2)} / ${(r.retrieve.rps / ref.rps).toFixed(2)}`);
} finally {
  await stop(bare.child);
  await admin.query(`drop schema if exists ${schema} cascade`);
  await admin.end();
}
