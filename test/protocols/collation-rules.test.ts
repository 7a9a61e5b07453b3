/**
 * The site's comparison rule (setting `gatehouse_collation`) over HTTP, per operation as Drupal compares:
 * `=` for login and request_new_password, LIKE for uniqueness. José Müller is registered, then looked for
 * with other spellings under four rules: MySQL utf8_general_ci (case- and accent-insensitive), a MySQL binary
 * collation (exact), a PostgreSQL source (exact `=`, ILIKE) and Gatehouse's lowercase default.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { call } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

interface Expected {
  /** Spellings that log in (the others get 401). */
  logsIn: string[];
  /** Names refused as taken at registration (the others register). */
  nameTaken: string[];
  /** request_new_password finds the account by its mail in capitals. */
  resetByUpperMail: boolean;
}

const SPELLINGS = ['José Müller', 'josé müller', 'jose muller', 'JOSE MULLER '];
const NAMES = ['JOSÉ MÜLLER', 'Jose Muller'];

const RULES: Record<string, Expected> = {
  utf8mb3_general_ci: { logsIn: SPELLINGS, nameTaken: NAMES, resetByUpperMail: true },
  utf8mb4_bin: { logsIn: ['José Müller'], nameTaken: [], resetByUpperMail: false },
  pgsql: { logsIn: ['José Müller'], nameTaken: ['JOSÉ MÜLLER'], resetByUpperMail: false },
  lowercase: { logsIn: ['José Müller', 'josé müller'], nameTaken: ['JOSÉ MÜLLER'], resetByUpperMail: true },
};

for (const [rule, expected] of Object.entries(RULES)) {
  describe(`gatehouse_collation = ${rule}`, () => {
    let s: TestServer;
    const post = (path: string, json: unknown) => call(`${s.url}/rest/${path}`, { method: 'POST', json });
    before(async () => {
      s = await startTestServer({ settings: { gatehouse_collation: rule } });
      const r = await post('user/register', { name: 'José Müller', mail: 'Jose.Muller@Example.com', pass: 'jose-pass' });
      assert.equal(r.status, 200, r.text);
    });
    after(async () => { await s.close(); });

    test('login (=)', async () => {
      for (const username of SPELLINGS) {
        const r = await post('user/login', { username, password: 'jose-pass' });
        assert.equal(r.status, expected.logsIn.includes(username) ? 200 : 401, `${JSON.stringify(username)}: ${r.status} ${r.text}`);
      }
    });

    test('name uniqueness at registration (LIKE)', async () => {
      let n = 0;
      for (const name of NAMES) {
        const r = await post('user/register', { name, mail: `other${n++}@example.com`, pass: 'other-pass' });
        if (expected.nameTaken.includes(name)) {
          assert.equal(r.status, 406, `${name}: ${r.text}`);
          assert.deepEqual(r.json, { form_errors: { name: `The name <em class="placeholder">${name}</em> is already taken.` } });
        } else assert.equal(r.status, 200, `${name}: ${r.text}`);
      }
    });

    test('request_new_password by the mail in other case (=)', async () => {
      const r = await post('user/request_new_password', { name: 'JOSE.MULLER@EXAMPLE.COM' });
      assert.equal(r.status, expected.resetByUpperMail ? 200 : 406, r.text);
      const exact = await post('user/request_new_password', { name: 'Jose.Muller@Example.com' });
      assert.equal(exact.status, 200, exact.text);
    });
  });
}
