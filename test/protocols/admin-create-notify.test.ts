/**
 * An administrator creating an account (POST user) sends the "account created for you" mail only when
 * `notify` is set, with PHP's idea of set (`!empty()`): 1, "1", true, "on", [1] notify; missing, 0, "0", "",
 * false, null, [] and {} do not.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { call, cookieOf } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

describe('POST user by an administrator: notify', () => {
  let s: TestServer;
  let headers: Record<string, string>;
  before(async () => {
    s = await startTestServer();
    const login = await call(`${s.url}/rest/user/login.json`, { method: 'POST', json: { username: 'admin', password: 'admin' } });
    headers = { cookie: cookieOf(login.json), 'X-CSRF-Token': login.json.token };
  });
  after(async () => { await s.close(); });

  const cases: Array<[string, unknown, boolean]> = [
    ['absent', undefined, false], ['0', 0, false], ['"0"', '0', false], ['""', '', false], ['false', false, false], ['null', null, false],
    ['[]', [], false], ['{}', {}, false],
    ['1', 1, true], ['"1"', '1', true], ['true', true, true], ['"on"', 'on', true], ['[1]', [1], true],
  ];
  let n = 0;
  for (const [label, notify, mails] of cases) {
    test(`notify ${label}: ${mails ? 'a mail to the new account' : 'no mail'}`, async () => {
      const name = `created${n++}`;
      const body: Record<string, unknown> = { name, mail: `${name}@example.com`, pass: 'secret-pass', status: 1 };
      if (notify !== undefined) body.notify = notify;
      const created = await call(`${s.url}/rest/user.json`, { method: 'POST', headers, json: body });
      assert.equal(created.status, 200, created.text);
      const sent = (await s.mails()).filter((m) => m.to === `${name}@example.com`);
      assert.equal(sent.length, mails ? 1 : 0, JSON.stringify(sent));
    });
  }
});
