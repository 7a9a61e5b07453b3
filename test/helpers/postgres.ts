/**
 * The PostgreSQL the tests use: GATEHOUSE_TEST_PG_URL, by default the local server's `test` database. Every
 * user of it works in a schema of its own (created here, dropped on close), so runs never collide.
 * Off CI an unreachable server means "skip, and say how to run"; with CI=true it is a failure.
 */
import { randomBytes } from 'node:crypto';
import { type DatabaseHandle, openDatabase } from '../../src/storage/database.js';

export const PG_URL = process.env.GATEHOUSE_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const ON_CI = /^(1|true|yes)$/i.test(process.env.CI ?? '');

let probe: Promise<string | null> | null = null;

/** null when PostgreSQL answers; otherwise why the PostgreSQL tests are skipped. Throws on CI. */
export function postgresSkipReason(): Promise<string | null> {
  probe ??= (async () => {
    const h = await openDatabase(PG_URL, { poolSize: 1 });
    try {
      await h.db.selectNoFrom((eb) => eb.val(1).as('one')).execute();
      return null;
    } catch (err) {
      const why = `PostgreSQL tests skipped: no server at ${PG_URL} (${(err as Error).message}). ` +
        'Start one (or run .ci/run), or point GATEHOUSE_TEST_PG_URL at a database you may create schemas in; CI=true makes this a failure.';
      if (ON_CI) throw new Error(why.replace('skipped', 'cannot run on CI'));
      return why;
    } finally {
      await h.close().catch(() => undefined);
    }
  })();
  return probe;
}

export interface TestSchema {
  readonly schema: string;
  /** Opens a pool whose connections work in this schema. */
  open(poolSize?: number): Promise<DatabaseHandle>;
  /** Closes every pool opened here and drops the schema with everything in it. */
  drop(): Promise<void>;
}

/** A fresh, uniquely named schema in the test database. */
export async function createTestSchema(prefix = 'gh_test'): Promise<TestSchema> {
  const schema = `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = await openDatabase(PG_URL, { poolSize: 1 });
  await admin.db.schema.createSchema(schema).execute();
  const handles: DatabaseHandle[] = [];
  return {
    schema,
    async open(poolSize = 4) {
      const h = await openDatabase(PG_URL, { schema, poolSize });
      handles.push(h);
      return h;
    },
    async drop() {
      for (const h of handles) await h.close().catch(() => undefined);
      try { await admin.db.schema.dropSchema(schema).ifExists().cascade().execute(); } finally { await admin.close(); }
    },
  };
}
