import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { call, type Seen } from '../helpers/http.js';
import { pgSkip, useTwoInstances } from './two-instances.js';

describe('500 concurrent registrations over two instances on one PostgreSQL', { skip: pgSkip ?? false }, () => {
  const pair = useTwoInstances({ config: { baseUrl: 'http://accounts.example.com' } });

  test('50 names asked for twice: one account per name, the other asker gets the site\'s 406, nothing ≥ 500', async () => {
    const { a, b } = pair.get();
    const names = Array.from({ length: 450 }, (_, i) => `Racer${i}`);
    // Each doubled name is asked for once on A and once on B, in different case (uniqueness is case-insensitive).
    const requests = [
      ...names.map((name, i) => ({ url: i % 2 === 0 ? a.url : b.url, name, mail: `${name.toLowerCase()}@example.com` })),
      ...names.slice(0, 50).map((name, i) => ({ url: i % 2 === 0 ? b.url : a.url, name: name.toUpperCase(), mail: `second-${name.toLowerCase()}@example.com` })),
    ];
    const answers: Array<Seen & { name: string }> = await Promise.all(requests.map(async (r) => ({
      ...(await call(`${r.url}/rest/user/register`, { method: 'POST', json: { name: r.name, mail: r.mail, pass: 'secret1' } })), name: r.name,
    })));
    assert.deepEqual(answers.filter((r) => r.status >= 500).map((r) => `${r.status} ${r.text}`), []);
    const ok = answers.filter((r) => r.status === 200);
    const refused = answers.filter((r) => r.status !== 200);
    assert.equal(ok.length, 450);
    assert.equal(refused.length, 50);
    for (const r of refused) {
      assert.equal(r.status, 406, r.text);
      assert.equal(r.reason, `Not Acceptable : The name ${r.name} is already taken.`);
      assert.deepEqual(r.json, { form_errors: { name: `The name <em class="placeholder">${r.name}</em> is already taken.` } });
    }
    const rows = await a.server.database.db.selectFrom('users').select(['uid', 'name_key']).where('name_key', 'like', 'racer%').execute();
    assert.equal(rows.length, 450);
    assert.equal(new Set(rows.map((r) => r.name_key)).size, 450, 'exactly one account per name');
    const uids = ok.map((r) => Number(r.json.uid));
    assert.equal(new Set(uids).size, 450, 'every acknowledged registration has its own uid');
    const byUid = new Set(rows.map((r) => Number(r.uid)));
    assert.ok(uids.every((u) => byUid.has(u)), 'every acknowledged uid is stored');
  });
});
