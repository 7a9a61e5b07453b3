/**
 * The registration form's time zone (system_form_user_register_form_alter): the site's zone by default
 * (`user_default_timezone` 0), '' with 1, a select with 2 (the visitor's choice, checked against the zone
 * list; the site's zone when none is sent), and no value at all (NULL) with `configurable_timezones` off.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { call } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

describe('registration: time zone', () => {
  let s: TestServer;
  let n = 0;
  before(async () => { s = await startTestServer({ settings: { date_default_timezone: 'Europe/Paris' } }); });
  after(async () => { await s.close(); });
  beforeEach(async () => {
    for (const v of ['user_default_timezone', 'configurable_timezones']) await s.server.store.variables.delete(v);
  });

  async function register(extra: Record<string, unknown> = {}) {
    const name = `tz${n++}`;
    const r = await call(`${s.url}/rest/user/register`, { method: 'POST', json: { name, mail: `${name}@example.com`, pass: 'secret', ...extra } });
    const account = r.status === 200 ? await s.server.store.accounts.byUid(Number(r.json.uid)) : undefined;
    return { r, timezone: account?.timezone };
  }

  test("user_default_timezone 0 (default): the site's zone, whatever is sent", async () => {
    assert.equal((await register({ timezone: 'Asia/Tokyo' })).timezone, 'Europe/Paris');
  });

  test("user_default_timezone 1: ''", async () => {
    await s.setVariable('user_default_timezone', 1);
    assert.equal((await register()).timezone, '');
  });

  test("user_default_timezone 2: the visitor's choice from the list, else the site's zone", async () => {
    await s.setVariable('user_default_timezone', 2);
    assert.equal((await register({ timezone: 'Asia/Tokyo' })).timezone, 'Asia/Tokyo');
    assert.equal((await register()).timezone, 'Europe/Paris');
    for (const timezone of ['Mars/Olympus', '']) {
      const { r } = await register({ timezone });
      assert.equal(r.status, 406, `${timezone}: ${r.text}`);
      assert.deepEqual(r.json, { form_errors: { timezone: 'An illegal choice has been detected. Please contact the site administrator.' } });
    }
  });

  test('configurable_timezones off: NULL', async () => {
    await s.setVariable('configurable_timezones', 0);
    assert.equal((await register({ timezone: 'Asia/Tokyo' })).timezone, null);
  });
});
