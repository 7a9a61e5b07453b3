// A login with an unknown name costs what one with a known name and a wrong password costs: one password
// verify each, counted on the hasher (not timed). The answers stay Drupal's in compat mode; the hardened
// profile gives one generic answer for blocked accounts too.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createFastTestHasher, type PasswordHasher } from '../../src/core/passwords/password-hasher.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { request } from './raw.js';

function countingHasher(): PasswordHasher & { verifies: number } {
  const inner = createFastTestHasher();
  const h = {
    verifies: 0,
    hash: (p: string) => inner.hash(p),
    verify: (p: string, s: string) => { h.verifies++; return inner.verify(p, s); },
    needsRehash: (s: string) => inner.needsRehash(s),
  };
  return h;
}

for (const security of ['compat', 'hardened'] as const) {
  describe(`login cost and answers (${security})`, () => {
    let t: TestServer;
    const hasher = countingHasher();
    before(async () => {
      t = await startTestServer({ hasher, config: { security, trustedHosts: ['^127\\.0\\.0\\.1$'] }, settings: { user_failed_login_ip_limit: 1000 } });
    });
    after(() => t.close());

    const login = async (username: string, password: string) => {
      // The hardened profile asks for the token of a pre-session cookie (login CSRF).
      const pre = await request(`${t.url}/services/session/token`);
      const cookie = String((pre.headers['set-cookie'] ?? [])[0] ?? '').split(';')[0];
      const headers: Record<string, string> = cookie ? { Cookie: cookie, 'X-CSRF-Token': pre.text } : {};
      const before = hasher.verifies;
      const r = await request(`${t.url}/rest/user/login.json`, { body: JSON.stringify({ username, password }), headers });
      return { status: r.status, body: JSON.parse(r.text) as unknown, verifies: hasher.verifies - before };
    };

    it('unknown name and known name with a wrong password: one verify each, the same answer', async () => {
      const unknown = await login('nobody-here', 'wrong');
      const known = await login('alice', 'wrong');
      assert.equal(unknown.verifies, 1);
      assert.equal(known.verifies, 1);
      assert.deepEqual(unknown, known);
      assert.equal(known.status, 401);
      assert.deepEqual(known.body, ['Wrong username or password.']);
    });

    it(security === 'compat' ? 'a blocked account keeps Drupal\'s message' : 'a blocked account gets the generic answer after one verify', async () => {
      const blocked = await login('carol', 'wrong');
      if (security === 'compat') {
        assert.equal(blocked.status, 403);
        assert.match(JSON.stringify(blocked.body), /has not been activated or is blocked/);
      } else {
        assert.deepEqual(blocked, { status: 401, body: ['Wrong username or password.'], verifies: 1 });
      }
    });
  });
}
