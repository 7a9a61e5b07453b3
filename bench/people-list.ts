/**
 * The console's people list at scale (run: node --import tsx bench/people-list.ts [accounts=1000000] [database=sqlite]).
 *
 * Fills a fresh database (SQLite file, or a PostgreSQL schema with `postgres`) with N accounts (1 in 100 blocked,
 * 1 in 10 with the `editor` role), then times the list's queries as the page runs them (ConsoleQueries:
 * searchAccounts + rolesOfMany for one page of 50): first page, a name prefix, an e-mail prefix, blocked only,
 * by role, and a page deep in the keyset. Prints the median and p95 of 20 runs each. Goal (issue 17): < 100 ms.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { type Insertable, sql } from 'kysely';
import { loadConfig } from '../src/config/load-config.js';
import type { AccountSearch } from '../src/core/console/console-queries.js';
import { openGatehouse } from '../src/gatehouse.js';
import { createConsoleQueries } from '../src/storage/console-queries.js';
import type { Database } from '../src/storage/schema.js';
import { createTestSchema, PG_URL } from '../test/helpers/postgres.js';

const N = Number(process.argv[2] ?? 1_000_000);
const ON_PG = process.argv[3] === 'postgres';
const BATCH = 500;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-people-bench-'));
const pg = ON_PG ? await createTestSchema('gh_people_bench') : null;
const config = loadConfig({ env: {}, overrides: { databaseUrl: pg ? PG_URL : `sqlite:${path.join(dir, 'bench.sqlite')}`, logLevel: 'silent', mailWorker: false } });
const gatehouse = await openGatehouse(config, { schema: pg?.schema });
const db = gatehouse.database.db;
try {
  await gatehouse.store.roles.ensureRole({ rid: 4, name: 'editor', weight: 3 });
  const started = performance.now();
  for (let from = 1; from <= N; from += BATCH) {
    const rows: Insertable<Database['users']>[] = [];
    const roles: Array<{ uid: number; rid: number }> = [];
    for (let uid = from; uid < Math.min(from + BATCH, N + 1); uid++) {
      const name = `user${uid}`;
      rows.push({ uid, name, name_key: name, pass: '', mail: `${name}@example.org`, mail_key: `${name}@example.org`, theme: '', signature: '', signature_format: null,
        created: uid, changed: uid, access: (uid * 7919) % N, login: 0, status: uid % 100 === 0 ? 0 : 1, timezone: null, language: '', picture: 0, init: '', data: null });
      if (uid % 10 === 0) roles.push({ uid, rid: 4 });
    }
    await db.transaction().execute(async (tx) => {
      await tx.insertInto('users').values(rows).execute();
      if (roles.length > 0) await tx.insertInto('users_roles').values(roles).execute();
    });
  }
  // What autovacuum does on a live table: statistics, and the visibility map index-only scans rely on.
  if (ON_PG) await sql`vacuum analyze users`.execute(db);
  console.log(`${N} accounts on ${ON_PG ? 'PostgreSQL' : 'SQLite'} in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  const queries = createConsoleQueries(db);
  const page = async (q: AccountSearch) => {
    const rows = await queries.searchAccounts(q);
    await queries.rolesOfMany(rows.map((r) => r.uid));
    return rows.length;
  };
  const cases: Array<[string, AccountSearch]> = [
    ['first page', { limit: 50 }],
    ['name prefix "user12345"', { prefix: 'user12345', limit: 50 }],
    ['e-mail prefix "user9999"', { prefix: 'user9999', limit: 50 }],
    ['broad name prefix "user1" (11% of accounts, sorted)', { prefix: 'user1', limit: 50 }],
    ['blocked only', { status: 0, limit: 50 }],
    ['role editor', { rid: 4, limit: 50 }],
    ['deep keyset page (before uid N/2)', { after: { uid: Math.floor(N / 2) }, limit: 50 }],
    ['sorted by name', { sort: 'name', limit: 50 }],
    ['sorted by name, deep page', { sort: 'name', after: { uid: 0, nameKey: 'user5' }, limit: 50 }],
    ['sorted by last access', { sort: 'access', limit: 50 }],
    ['sorted by last access, deep page', { sort: 'access', after: { uid: N, access: Math.floor(N / 2) }, limit: 50 }],
    ['name prefix "user12345" by last access', { prefix: 'user12345', sort: 'access', limit: 50 }],
    ['broad prefix "user1" by name', { prefix: 'user1', sort: 'name', limit: 50 }],
    ['broad prefix "user1" by last access', { prefix: 'user1', sort: 'access', limit: 50 }],
  ];
  console.log('| query | rows | median ms | p95 ms |\n|---|---|---|---|');
  for (const [label, q] of cases) {
    const times: number[] = [];
    let rows = 0;
    for (let i = 0; i < 20; i++) {
      const t = performance.now();
      rows = await page(q);
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    console.log(`| ${label} | ${rows} | ${times[10].toFixed(2)} | ${times[18].toFixed(2)} |`);
  }
} finally {
  await gatehouse.close();
  await pg?.drop();
  fs.rmSync(dir, { recursive: true, force: true });
}
