/**
 * PostgreSQL: requests waiting at the same moment share one query for their sessions, accounts, roles and the
 * change counter (src/storage/postgres-read-batch.ts). Each still sees its own session, and a read never joins
 * a query that was already sent: a change committed on another instance before a request arrived rules it
 * even while an older query of this instance is still out.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import pg from 'pg';
import { call, cookieOf } from '../helpers/http.js';
import { pgSkip, useTwoInstances } from './two-instances.js';

interface QueryConfig { name?: string; text: string; values?: unknown[] }
type Query = (this: unknown, q: unknown, ...rest: unknown[]) => unknown;
const client = pg.Client.prototype as unknown as { query: Query };
const isBatch = (q: unknown): q is QueryConfig => typeof q === 'object' && q !== null && (q as QueryConfig).name === 'gatehouse_request_batch';

/** Runs `fn` with every request read query sent to PostgreSQL passed through `around` (which may delay it). */
async function intercepting<T>(around: (q: QueryConfig, send: () => unknown) => unknown, fn: () => Promise<T>): Promise<T> {
  const original = client.query;
  client.query = function (this: unknown, q: unknown, ...rest: unknown[]) {
    return isBatch(q) ? around(q, () => original.call(this, q, ...rest)) : original.call(this, q, ...rest);
  };
  try { return await fn(); } finally { client.query = original; }
}

const later = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('PostgreSQL: the reads of requests arriving together share a query', { skip: pgSkip ?? false }, () => {
  const pair = useTwoInstances();

  const login = async (url: string, username: string, password: string) => {
    const r = await call(`${url}/rest/user/login`, { method: 'POST', json: { username, password } });
    assert.equal(r.status, 200, r.text);
    return { cookie: cookieOf(r.json), token: r.json.token as string, name: username };
  };

  test('24 requests at once, of three users and anonymous visitors: a few queries, each answer its own user', async () => {
    const { a } = pair.get();
    const users = [await login(a.url, 'admin', 'admin'), await login(a.url, 'alice', 'alicepass'), await login(a.url, 'bob', 'bobpass')];
    const sent: number[] = [];
    // Each query takes 50 ms more: the requests that come meanwhile wait and go together.
    const answers = await intercepting((q, send) => { sent.push((q.values?.[0] as unknown[]).length); return later(50).then(send); }, () =>
      Promise.all(Array.from({ length: 24 }, (_, i) => {
        const who = i % 4 === 3 ? null : users[i % 4];
        return call(`${a.url}/rest/system/connect.json`, { method: 'POST', headers: who ? { cookie: who.cookie, 'X-CSRF-Token': who.token } : {}, json: {} })
          .then((r) => ({ r, who }));
      })));
    for (const { r, who } of answers) {
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.user.name ?? '', who?.name ?? '', 'every request is answered with its own session');
      if (who === null) assert.equal(String(r.json.user.uid), '0');
    }
    assert.ok(sent.length < 24 / 2, `24 requests made ${sent.length} queries (session ids per query: ${sent.join(', ')})`);
    assert.equal(sent.reduce((n, k) => n + k, 0), 18, 'each of the 18 session cookies was looked up once');
  });

  test('a permission granted on B while a query of A is out: an anonymous request A receives next has it', async () => {
    const { a, b } = pair.get();
    const alice = await login(a.url, 'alice', 'alicepass');
    assert.equal((await call(`${a.url}/rest/user/2.json`)).status, 403);
    let release!: () => void;
    const held = new Promise<void>((r) => { release = r; });
    let holding = true;
    const slow = await intercepting((q, send) => {
      // The first query with a session in it (alice's, on A) stays out until released.
      if (holding && (q.values?.[0] as unknown[]).length > 0) { holding = false; return held.then(send); }
      return send();
    }, async () => {
      const aliceRequest = call(`${a.url}/rest/system/connect.json`, { method: 'POST', headers: { cookie: alice.cookie, 'X-CSRF-Token': alice.token }, json: {} });
      while (holding) await later(5);
      await b.server.store.roles.grant(1, ['access user profiles']);
      try {
        // A read that waited for the query already out would wait for ever here: 5 s and it fails instead.
        const anonymous = await Promise.race([call(`${a.url}/rest/user/2.json`), later(5000).then(() => { throw new Error('the anonymous request waited for the query already out'); })]);
        return { anonymous, alice: await (release(), aliceRequest) };
      } finally {
        release();
      }
    });
    assert.equal(slow.anonymous.status, 200, 'the anonymous request read the counter after the grant, not with the query already out');
    assert.equal(slow.alice.json.user.name, 'alice');
  });
});
