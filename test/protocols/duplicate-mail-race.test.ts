/**
 * One account per e-mail address under concurrency (issue 16): 500 registrations of 50 addresses × 10 — each
 * address asked for in ten spellings that differ in case only — sent at once over HTTP create exactly 50
 * accounts. The database holds the rule (a unique index on the mail key), so the losers of the race get the
 * form's own answer ("already registered"), never a 500. Runs on SQLite and on PostgreSQL.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { call, type Seen } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const ADDRESSES = 50;
const SPELLINGS = 10;

/** The i-th spelling of an address: the letters' case flipped by the bits of i. */
function spelling(address: string, i: number): string {
  return [...address].map((c, k) => ((i >> (k % 4)) & 1 ? c.toUpperCase() : c)).join('');
}

describe('500 concurrent registrations of 50 addresses × 10 spellings', () => {
  let s: TestServer;
  // 500 connections from one address at once: the per-address connection cap, the registration limit and the
  // hash queue's bound (issue 14/16's bounds, tested in test/reliability and hash-overload.test.ts) are lifted
  // so that the race itself is what is measured, however slow the machine.
  before(async () => {
    s = await startTestServer({ settings: { services_flood_control_enabled: false }, config: { connections: { perIp: 0 } as never, retention: { registrationsPerIp: 0 } as never, hashing: { threads: null, queue: 1000 } } });
  });
  after(async () => { await s.close(); });

  test('exactly one account per address; the others get the form error, nothing ≥ 500', async () => {
    const requests = [];
    for (let a = 0; a < ADDRESSES; a++) {
      for (let i = 0; i < SPELLINGS; i++) requests.push({ name: `mailracer-${a}-${i}`, mail: spelling(`mail.racer${a}@example.com`, i) });
    }
    const answers: Array<Seen & { mail: string }> = await Promise.all(requests.map(async (r) => ({
      ...(await call(`${s.url}/rest/user/register`, { method: 'POST', json: { name: r.name, mail: r.mail, pass: 'secret1' } })), mail: r.mail,
    })));
    assert.deepEqual(answers.filter((r) => r.status >= 500).map((r) => `${r.status} ${r.text}`), []);
    const ok = answers.filter((r) => r.status === 200);
    assert.equal(ok.length, ADDRESSES, 'one registration per address');
    for (const r of answers.filter((x) => x.status !== 200)) {
      assert.equal(r.status, 406, r.text);
      assert.match(r.json.form_errors.mail, /^The e-mail address <em class="placeholder">[^<]+<\/em> is already registered\./);
    }
    const rows = await s.server.database.db.selectFrom('users').select(['uid', 'mail']).where('name', 'like', 'mailracer-%').execute();
    assert.equal(rows.length, ADDRESSES, 'exactly 50 accounts stored');
    assert.equal(new Set(rows.map((r) => r.mail.toLowerCase())).size, ADDRESSES, 'one per address');
  });
});
