import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import { loadConfig } from '../../src/config/load-config.js';
import { createFastTestHasher } from '../../src/core/passwords/password-hasher.js';
import { openGatehouse } from '../../src/gatehouse.js';
import { openDatabase } from '../../src/storage/database.js';
import { MIGRATION_NAMES, migrateToLatest } from '../../src/storage/migrate.js';
import { createTestSchema, PG_URL } from '../helpers/postgres.js';
import { dialectOptions } from './dialects.js';

/** Tables of the first migration (later ones add more). */
const TABLES = ['flood', 'outbox', 'role', 'role_permission', 'sessions', 'users', 'users_roles', 'variable'];
const hasAll = (names: string[]) => TABLES.every((t) => names.includes(t));

describe('migrations on postgres', dialectOptions('postgres'), () => {
  test('six migrators starting at once on a fresh schema: one runs the migrations, the others find nothing to do', async () => {
    const s = await createTestSchema('gh_migrate');
    try {
      const handles = await Promise.all(Array.from({ length: 6 }, () => s.open(2)));
      const ran = await Promise.all(handles.map((h) => migrateToLatest(h.db, h.dialect)));
      assert.deepEqual(ran.filter((r) => r.length > 0), [[...MIGRATION_NAMES]]);
      const tables = await handles[0].db.introspection.getTables();
      assert.ok(hasAll(tables.filter((x) => x.schema === s.schema).map((x) => x.name)));
    } finally {
      await s.drop();
    }
  });

  test('instances starting at once on a fresh schema (migrations + site baseline) all come up on one site', async () => {
    const s = await createTestSchema('gh_start');
    try {
      const config = loadConfig({ env: {}, overrides: { databaseUrl: PG_URL, logLevel: 'silent', mailWorker: false } });
      const started = await Promise.all(Array.from({ length: 4 }, () => openGatehouse(config, { schema: s.schema, hasher: createFastTestHasher() })));
      try {
        const keys = started.map((g) => g.core.keys);
        assert.ok(keys.every((k) => JSON.stringify(k) === JSON.stringify(keys[0])), 'every instance uses the same site keys');
        const users = await started[0].database.db.selectFrom('users').select('uid').execute();
        assert.deepEqual(users.map((u) => Number(u.uid)), [0]);
        assert.equal((await started[0].store.roles.all()).length, 3);
      } finally {
        for (const g of started) await g.close();
      }
    } finally {
      await s.drop();
    }
  });

  test('each schema keeps its own migration bookkeeping (a second schema in the same database still migrates)', async () => {
    const a = await createTestSchema('gh_mig_a');
    const b = await createTestSchema('gh_mig_b');
    try {
      const ha = await a.open(1);
      assert.deepEqual(await migrateToLatest(ha.db, ha.dialect), [...MIGRATION_NAMES]);
      const hb = await b.open(1);
      assert.deepEqual(await migrateToLatest(hb.db, hb.dialect), [...MIGRATION_NAMES]);
      assert.deepEqual(await migrateToLatest(ha.db, ha.dialect), []);
      await hb.db.insertInto('variable').values({ name: 'x', value: '1' }).execute();
      assert.equal((await ha.db.selectFrom('variable').selectAll().execute()).length, 0);
    } finally {
      await a.drop();
      await b.drop();
    }
  });
  test('another schema dropped while we migrate cannot fail our start (introspection stays in our schema)', async () => {
    // Another application churns schemas in the same database: each has a serial column, which made the stock
    // introspector call pg_get_serial_sequence / has_schema_privilege by name on a schema about to vanish.
    const churn = await openDatabase(PG_URL, { poolSize: 1 });
    let stop = false;
    let churned = 0;
    const churning = (async () => {
      while (!stop) {
        const name = `gh_churn_${process.pid}_${churned++}`;
        await sql`create schema ${sql.id(name)}`.execute(churn.db);
        await sql`create table ${sql.id(name, 'items')} (id serial primary key, a text, b text, c text)`.execute(churn.db);
        await sql`drop schema ${sql.id(name)} cascade`.execute(churn.db);
      }
    })();
    try {
      for (let i = 0; i < 12; i++) {
        const s = await createTestSchema('gh_mig_churn');
        try {
          const h = await s.open(1);
          assert.deepEqual(await migrateToLatest(h.db, h.dialect), [...MIGRATION_NAMES]);
          const tables = await h.db.introspection.getTables();
          assert.ok(hasAll(tables.map((x) => x.name)));
          assert.ok(tables.every((x) => x.schema === s.schema), 'only our own schema is introspected');
        } finally {
          await s.drop();
        }
      }
      assert.ok(churned > 3, `the other schemas churned while we migrated (${churned})`);
    } finally {
      stop = true;
      await churning;
      await churn.close();
    }
  });
});

describe('migrations on sqlite', () => {
  test('a second start finds the file up to date', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-migrate-'));
    try {
      const first = await openDatabase(`sqlite:${path.join(dir, 'db.sqlite')}`);
      assert.deepEqual(await migrateToLatest(first.db, first.dialect), [...MIGRATION_NAMES]);
      const second = await openDatabase(`sqlite:${path.join(dir, 'db.sqlite')}`);
      assert.deepEqual(await migrateToLatest(second.db, second.dialect), []);
      const tables = await second.db.introspection.getTables();
      assert.ok(hasAll(tables.map((x) => x.name)));
      await first.close();
      await second.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
