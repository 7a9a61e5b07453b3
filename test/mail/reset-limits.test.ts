// Limits on password-reset mails (flood events pass_reset_user: 5 per 6 h per account; pass_reset_ip:
// 50 per hour per address). Over a limit the answer does not change — `[true]`, as for any accepted
// request — but no mail is queued. Here the IP limit is lowered by a site setting to keep the test short.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

let t: TestServer;
before(async () => { t = await startTestServer({ preset: 'peer', settings: { user_pass_reset_ip_limit: 8 } }); });
after(async () => { await t.close(); });

async function requestNewPassword(name: string): Promise<{ status: number; body: unknown }> {
  const r = await fetch(`${t.url}/rest/user/request_new_password.json`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name }) });
  return { status: r.status, body: await r.json() };
}
const resetMailsTo = async (to: string) => (await t.mails()).filter((m) => m.id === 'user_password_reset' && m.to === to).length;

describe('reset mail limits', () => {
  it('per account: the 6th request within 6 h answers [true] and queues nothing', async () => {
    for (let i = 1; i <= 6; i++) assert.deepEqual(await requestNewPassword(i % 2 ? 'alice' : 'alice@example.com'), { status: 200, body: [true] });
    assert.equal(await resetMailsTo('alice@example.com'), 5);
  });

  it('the admin action password_reset counts toward the same account limit', async () => {
    const login = await fetch(`${t.url}/rest/user/login.json`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'admin' }) });
    const { session_name, sessid, token } = (await login.json()) as { session_name: string; sessid: string; token: string };
    const r = await fetch(`${t.url}/rest/user/2/password_reset.json`, { method: 'POST', headers: { Cookie: `${session_name}=${sessid}`, 'X-CSRF-Token': token } });
    assert.equal(r.status, 200);
    assert.deepEqual(await r.json(), [true]);
    assert.equal(await resetMailsTo('alice@example.com'), 5);
  });

  it('per address: over the IP limit, other accounts get no mail either, with the same answer', async () => {
    // 5 mails so far from 127.0.0.1 (alice); the limit is 8.
    for (const name of ['bob', 'admin', 'bob']) assert.deepEqual(await requestNewPassword(name), { status: 200, body: [true] });
    assert.deepEqual(await requestNewPassword('admin'), { status: 200, body: [true] });
    assert.equal(await resetMailsTo('bob@example.com'), 2);
    assert.equal(await resetMailsTo('admin@example.com'), 1);
  });

  it('an unknown name is still refused as before (the limits change no answer)', async () => {
    const r = await requestNewPassword('nobody-here');
    assert.equal(r.status, 406);
  });
});
