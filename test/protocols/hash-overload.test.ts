import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LimitedHasher } from '../../src/core/passwords/hash-limiter.js';
import { createFastTestHasher, type PasswordHasher } from '../../src/core/passwords/password-hasher.js';
import { call, type Seen } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

/** A real (fast) argon2id hasher whose work can be held back, so that the hash thread stays busy on demand. */
function heldHasher(): PasswordHasher & { hold(): void; release(): void } {
  const inner = createFastTestHasher();
  let gate: Promise<void> = Promise.resolve();
  let open: () => void = () => undefined;
  return {
    hold() { gate = new Promise((resolve) => { open = resolve; }); },
    release() { open(); },
    hash: async (plain) => { await gate; return inner.hash(plain); },
    verify: async (plain, stored) => { await gate; return inner.verify(plain, stored); },
    needsRehash: (stored) => inner.needsRehash(stored),
  };
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(check(), 'condition not reached');
}

const register = (s: TestServer, name: string) => call(`${s.url}/rest/user/register.json`, { method: 'POST', json: { name, mail: `${name}@example.com`, pass: 'secret1' } });
const login = (s: TestServer, username: string, password: string) => call(`${s.url}/rest/user/login.json`, { method: 'POST', json: { username, password } });

function assertBusy(r: Seen, label: string): void {
  assert.equal(r.status, 503, label);
  assert.equal(r.reason, ': The server is busy, please try again in a moment.', label);
  assert.deepEqual(r.json, ['The server is busy, please try again in a moment.'], label);
  assert.match(r.headers.get('retry-after') ?? '', /^[1-9]\d*$/, label);
  assert.deepEqual(r.setCookies, [], label);
}

/** One hash thread, one waiting place: a third hash at once is refused with 503 + Retry-After, and loses nothing. */
describe('password hashing under overload', () => {
  let s: TestServer;
  const hasher = heldHasher();
  before(async () => { s = await startTestServer({ hasher, config: { hashing: { threads: 1, queue: 1 } } }); });
  after(async () => { hasher.release(); await s.close(); });

  test('register and login answer 503 when the hash queue is full; the admitted ones complete; nothing half-done', async () => {
    const limiter = (s.server.core.hasher as LimitedHasher).limiter;
    const floodRows = async () => (await s.server.database.db.selectFrom('flood').select('fid').where('event', 'like', 'failed_login%').execute()).length;
    const floodBefore = await floodRows();
    hasher.hold();
    const first = register(s, 'first');
    await until(() => limiter.load.running === 1);
    const second = login(s, 'alice', 'alicepass');
    await until(() => limiter.load.waiting === 1);

    assertBusy(await register(s, 'third'), 'register');
    assertBusy(await login(s, 'alice', 'wrong'), 'login');
    assert.deepEqual(limiter.load, { running: 1, waiting: 1 });

    hasher.release();
    const [a, b] = await Promise.all([first, second]);
    assert.equal(a.status, 200, a.text);
    assert.equal(b.status, 200, b.text);
    // The refused register left no account and no mail; the refused login counted no failed attempt.
    const names = (await s.server.database.db.selectFrom('users').select('name').execute()).map((r) => r.name);
    assert.ok(names.includes('first') && !names.includes('third'));
    assert.ok(!(await s.mails()).some((m) => m.to === 'third@example.com'));
    assert.equal(await floodRows(), floodBefore);
    // Once the storm is over the same requests succeed.
    assert.equal((await register(s, 'third')).status, 200);
    assert.equal((await login(s, 'alice', 'alicepass')).status, 200);
    assert.deepEqual(limiter.load, { running: 0, waiting: 0 });
  });
});
