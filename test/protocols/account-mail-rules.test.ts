/**
 * Which account mails Drupal sends (_user_mail_notify: `user_mail_<kind>_notify`, default on except for
 * blocked and canceled; a pending approval also mails the administrator):
 * - cancel by blocking (user_cancel_block, user_cancel_block_unpublish): the cancel's notify flag (the
 *   account's data['user_cancel_notify'], else user_mail_status_canceled_notify) sends "blocked" only under
 *   user_mail_status_blocked_notify; user_save's change of status sends it once more under the same setting;
 * - cancel by deleting: "canceled" when the flag and user_mail_status_canceled_notify are on;
 * - resend_welcome_email with user_register = 2 sends the administrator's copy too;
 * - a notification turned off sends nothing: registration, and request_new_password answers [false].
 */
import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import { call } from '../helpers/http.js';
import { post } from './account-flows.js';
import { useServerWithAdmin } from './wire.js';

describe('account mails', () => {
  const t = useServerWithAdmin();
  let n = 0;
  beforeEach(async () => {
    for (const v of ['user_mail_status_canceled_notify', 'user_mail_status_blocked_notify', 'user_cancel_method', 'user_register',
      'user_mail_register_no_approval_required_notify', 'user_mail_password_reset_notify']) await t.s.server.store.variables.delete(v);
  });

  /** A new account (status 1 unless told), created by the administrator without a mail. */
  async function account(status = 1): Promise<{ uid: number; mail: string }> {
    const name = `m${n++}`;
    const r = await post(t.s, t.admin, 'user', { name, mail: `${name}@example.com`, pass: 'secret', status });
    assert.equal(r.status, 200, r.text);
    return { uid: Number(r.json.uid), mail: `${name}@example.com` };
  }
  const mailsTo = async (to: string) => (await t.s.mails()).filter((m) => m.to === to).map((m) => m.id);
  const cancel = async (uid: number) => {
    const r = await post(t.s, t.admin, `user/${uid}/cancel`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.text, '[true]');
  };

  const blockCases: Array<[string, { canceled: number; blocked: number; status: number; data?: string; method?: string }, number]> = [
    ['both off', { canceled: 0, blocked: 0, status: 1 }, 0],
    ['canceled on, blocked off', { canceled: 1, blocked: 0, status: 1 }, 0],
    ['canceled off, blocked on, active account (user_save)', { canceled: 0, blocked: 1, status: 1 }, 1],
    ['both on, active account (cancel and user_save)', { canceled: 1, blocked: 1, status: 1 }, 2],
    ['both on, account already blocked', { canceled: 1, blocked: 1, status: 0 }, 1],
    ["both on, blocked account whose data says don't notify", { canceled: 1, blocked: 1, status: 0, data: 'a:1:{s:18:"user_cancel_notify";i:0;}' }, 0],
    ['data says notify, site default off', { canceled: 0, blocked: 1, status: 0, data: 'a:1:{s:18:"user_cancel_notify";i:1;}' }, 1],
    ['block_unpublish, both on, blocked account', { canceled: 1, blocked: 1, status: 0, method: 'user_cancel_block_unpublish' }, 1],
  ];
  for (const [label, c, expected] of blockCases) {
    test(`cancel by blocking, ${label}: ${expected} "blocked" mail(s)`, async () => {
      await t.s.setVariable('user_mail_status_canceled_notify', c.canceled);
      await t.s.setVariable('user_mail_status_blocked_notify', c.blocked);
      if (c.method) await t.s.setVariable('user_cancel_method', c.method);
      const a = await account(c.status);
      await t.s.server.store.accounts.update(a.uid, { changed: 1000, ...(c.data ? { data: c.data } : {}) });
      await cancel(a.uid);
      assert.deepEqual(await mailsTo(a.mail), Array(expected).fill('user_status_blocked'));
      const stored = await t.s.server.store.accounts.byUid(a.uid);
      assert.equal(stored?.status, 0);
      assert.ok((stored?.changed ?? 0) > 1000, 'user_save stamps changed');
    });
  }

  test('cancel by deleting: "canceled" only when the flag is on', async () => {
    await t.s.setVariable('user_cancel_method', 'user_cancel_delete');
    const quiet = await account();
    await cancel(quiet.uid);
    assert.deepEqual(await mailsTo(quiet.mail), []);
    await t.s.setVariable('user_mail_status_canceled_notify', 1);
    const told = await account();
    await cancel(told.uid);
    assert.deepEqual(await mailsTo(told.mail), ['user_status_canceled']);
    assert.equal(await t.s.server.store.accounts.byUid(told.uid), undefined);
  });

  test('resend_welcome_email with approval required also mails the administrator', async () => {
    await t.s.setVariable('user_register', 2);
    const a = await account();
    const before = (await t.s.mails()).length;
    assert.equal((await post(t.s, t.admin, `user/${a.uid}/resend_welcome_email`)).status, 200);
    const sent = (await t.s.mails()).slice(before).map((m) => [m.id, m.to]);
    assert.deepEqual(sent, [['user_register_pending_approval', a.mail], ['user_register_pending_approval_admin', 'admin@example.com']]);
  });

  test('a notification the site turned off: registration sends nothing, request_new_password answers [false]', async () => {
    await t.s.setVariable('user_mail_register_no_approval_required_notify', 0);
    const reg = await call(`${t.s.url}/rest/user/register`, { method: 'POST', json: { name: 'quietreg', mail: 'quietreg@example.com', pass: 'secret' } });
    assert.equal(reg.status, 200, reg.text);
    assert.deepEqual(await mailsTo('quietreg@example.com'), []);
    await t.s.setVariable('user_mail_password_reset_notify', 0);
    const reset = await call(`${t.s.url}/rest/user/request_new_password`, { method: 'POST', json: { name: 'bob' } });
    assert.equal(reset.status, 200);
    assert.equal(reset.text, '[false]');
    assert.deepEqual(await mailsTo('bob@example.com'), []);
    await t.s.server.store.variables.delete('user_mail_password_reset_notify');
    assert.equal((await call(`${t.s.url}/rest/user/request_new_password`, { method: 'POST', json: { name: 'bob' } })).text, '[true]');
    assert.deepEqual(await mailsTo('bob@example.com'), ['user_password_reset']);
  });
});
