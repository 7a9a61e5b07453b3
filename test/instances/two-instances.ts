/** Two Gatehouse servers (each with its own pool) on one PostgreSQL schema, as two instances behind a balancer. */
import { after, before } from 'node:test';
import { createTestSchema, PG_URL, postgresSkipReason, type TestSchema } from '../helpers/postgres.js';
import { type StartOptions, startTestServer, type TestServer } from '../helpers/test-server.js';

export const pgSkip = await postgresSkipReason();

export interface Pair { a: TestServer; b: TestServer; schema: string }

/** Starts A (seeded with the peer accounts) and B on the same fresh schema for the enclosing describe. */
export function useTwoInstances(opts: Omit<StartOptions, 'databaseUrl' | 'schema' | 'seedAccounts'> = {}): { get(): Pair } {
  let pair: Pair | undefined;
  let schema: TestSchema | undefined;
  before(async () => {
    if (pgSkip) return;
    schema = await createTestSchema('gh_pair');
    const a = await startTestServer({ ...opts, databaseUrl: PG_URL, schema: schema.schema });
    const b = await startTestServer({ ...opts, databaseUrl: PG_URL, schema: schema.schema, seedAccounts: false });
    pair = { a, b, schema: schema.schema };
  });
  after(async () => {
    await pair?.a.close();
    await pair?.b.close();
    await schema?.drop();
  });
  return { get: () => { if (!pair) throw new Error('instances not started'); return pair; } };
}
