#!/usr/bin/env node
// Runs every test file (test/**/*.test.ts) with node's test runner through tsx, then runs the HTTP suites
// (test/protocols, test/conformance) a second time on PostgreSQL (GATEHOUSE_TEST_DATABASE=postgres: every
// test server in a fresh schema of the `test` database). Off CI that second pass is skipped, with a message,
// when no PostgreSQL answers; with CI=true it always runs.
// Usage: node scripts/run-tests.mjs [substring filters…]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const filters = process.argv.slice(2);
const files = [];
(function walk(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(p);
    else if (entry.name.endsWith('.test.ts')) files.push(path.relative(root, p));
  }
})(path.join(root, 'test'));
const selected = files.sort().filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)));
if (selected.length === 0) { console.error('no test files matched'); process.exit(1); }

const run = (list, env = {}) => spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...list], {
  cwd: root, stdio: 'inherit', env: { ...process.env, ...env },
}).status ?? 1;

let status = run(selected);

const HTTP_SUITES = ['test/protocols/', 'test/conformance/'];
const onPostgres = selected.filter((f) => HTTP_SUITES.some((d) => f.startsWith(d)));
if (onPostgres.length > 0 && process.env.GATEHOUSE_TEST_DATABASE !== 'postgres') {
  const url = process.env.GATEHOUSE_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const onCi = /^(1|true|yes)$/i.test(process.env.CI ?? '');
  const reachable = await (async () => {
    const { default: pg } = await import('pg');
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
    try { await client.connect(); await client.query('select 1'); return true; } catch (err) { return err.message; } finally { await client.end().catch(() => {}); }
  })();
  if (reachable === true || onCi) {
    console.log(`\n== the HTTP suites again on PostgreSQL (${url}) ==\n`);
    status = run(onPostgres, { GATEHOUSE_TEST_DATABASE: 'postgres' }) || status;
  } else {
    console.log(`\nPostgreSQL pass skipped: no server at ${url} (${reachable}). Start PostgreSQL (or run .ci/run), or set GATEHOUSE_TEST_PG_URL; CI=true makes this pass mandatory.`);
  }
}
process.exit(status);
