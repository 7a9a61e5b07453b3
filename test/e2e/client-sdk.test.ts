/**
 * Every SDK call against our own server (test/helpers/test-server.ts, `preset: 'peer'`: admin/admin,
 * alice/alicepass, bob/bobpass, carol blocked; visitors register without approval or verification).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { GatehouseClientError } from '../../src/client/errors.js';
import { createNodeClient, type NodeClient } from '../../src/client/node.js';
import { parseResetLink } from '../../src/client/url.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

async function startServer(): Promise<TestServer> {
  return startTestServer({ preset: 'peer' });
}

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

async function rejectsWith(p: Promise<unknown>, status: number, reason: string | RegExp): Promise<GatehouseClientError> {
  let caught: unknown;
  await p.catch((e: unknown) => { caught = e; });
  assert.ok(caught instanceof GatehouseClientError, `expected a GatehouseClientError, got ${String(caught)}`);
  assert.equal(caught.status, status);
  if (typeof reason === 'string') assert.equal(caught.reasonPhrase, reason);
  else assert.match(caught.reasonPhrase, reason);
  return caught;
}

describe('SDK against Gatehouse (test server, peer preset)', () => {
  let srv: TestServer;
  const client = (opts: Partial<Parameters<typeof createNodeClient>[0]> = {}): NodeClient => createNodeClient({ baseUrl: srv.url, trace: true, ...opts });
  before(async () => { srv = await startServer(); });
  after(async () => { await srv?.close(); });

  it('connect as a visitor: uid 0, no cookie', async () => {
    const c = client();
    const r = await c.connect();
    assert.equal(r.user.uid, 0);
    assert.match(r.session_name, /^SESS[0-9a-f]{32}$/);
    assert.equal(await c.cookieStore.hasSession(srv.url), false);
  });

  it('login keeps the answer token; token(), user/token and whoami agree', async () => {
    const c = client();
    const login = await c.login('alice', 'alicepass');
    assert.match(login.token, TOKEN);
    assert.equal(login.user.name, 'alice');
    assert.equal(await c.cookieStore.hasSession(srv.url), true);
    assert.equal(await c.token(), login.token);
    assert.equal(await c.userToken(), login.token);
    const me = await c.whoami();
    assert.equal(me.name, 'alice');
    assert.deepEqual(c.trace!.entries.map((e) => `${e.method} ${new URL(e.url).pathname}`), [
      'POST /rest/user/login', 'GET /services/session/token', 'POST /rest/user/token', 'POST /rest/system/connect',
    ]);
  });

  it('login errors are typed: wrong password, blocked account, already logged in', async () => {
    await rejectsWith(client().login('alice', 'nope'), 401, 'Unauthorized : Wrong username or password.');
    await rejectsWith(client().login('carol', 'carolpass'), 403, ': The username carol has not been activated or is blocked.');
    const c = client();
    await c.login('bob', 'bobpass');
    await rejectsWith(c.login('bob', 'bobpass'), 406, 'Not Acceptable : Already logged in as bob.');
  });

  it('login API version 1.1 sends name/pass and the version header', async () => {
    const c = client({ loginApiVersion: '1.1' });
    const r = await c.login('bob', 'bobpass');
    assert.equal(r.user.name, 'bob');
    assert.equal(c.trace!.entries[0].request.body, '{"name":"bob","pass":"bobpass"}');
    assert.equal(c.trace!.entries[0].request.extra?.['Services-User-Login-Version'], '1.1');
    const out = await c.logout();
    assert.notEqual(out, true);
    assert.equal((out as { uid: number }).uid, 0);
  });

  it('retrieve and update: own account, other account, current password rule', async () => {
    const c = client();
    await c.login('alice', 'alicepass');
    const me = await c.users.retrieve(2);
    assert.equal(me.mail, 'alice@example.com');
    await rejectsWith(c.users.retrieve(3), 403, ': Access denied for user alice');
    const upd = await c.users.update(2, { signature: 'sdk' });
    assert.deepEqual(upd.roles, { 2: 'authenticated user' });
    assert.equal(upd.uid, '2');
    const err = await rejectsWith(c.users.update(2, { mail: 'alice2@example.com' }), 406, /^Not Acceptable : Your current password is missing or incorrect/);
    assert.ok(err.formErrors && 'current_pass' in err.formErrors);
    await rejectsWith(c.users.retrieve(999), 404, 'Not found : There is no user with ID 999.');
  });

  it('an unsafe call with a stale token retries once after 401 CSRF validation failed', async () => {
    const c = client();
    await c.login('bob', 'bobpass');
    c.importState({ token: 'x'.repeat(43), authenticated: true });
    const r = await c.users.update(3, { signature: 'after retry' });
    assert.equal(r.uid, '3');
    const lines = c.trace!.summary();
    assert.match(lines[1], /^2\. PUT \S+\/rest\/user\/3 → 401 Unauthorized : CSRF validation failed$/);
    assert.match(lines[2], /^3\. GET \S+\/services\/session\/token → 200 OK$/);
    assert.match(lines[3], /^4\. PUT \S+\/rest\/user\/3 → 200 OK$/);
  });

  it('logout: [true], then 406 User is not logged in', async () => {
    const c = client();
    await c.login('bob', 'bobpass');
    assert.equal(await c.logout(), true);
    assert.equal(await c.cookieStore.hasSession(srv.url), false);
    await rejectsWith(c.logout(), 406, 'Not Acceptable : User is not logged in.');
  });

  it('register: connect → token → register → token, and the account is logged in', async () => {
    const c = client();
    const r = await c.register({ name: 'sdkuser', mail: 'sdkuser@example.com', pass: 'sdkpass' });
    assert.match(r.uid, /^\d+$/);
    assert.equal(r.uri, `${srv.url}/rest/user/${r.uid}`);
    assert.deepEqual(c.trace!.entries.map((e) => `${e.method} ${new URL(e.url).pathname}`), [
      'POST /rest/system/connect', 'GET /services/session/token', 'POST /rest/user/register', 'GET /services/session/token',
    ]);
    const me = await c.whoami();
    assert.equal(me.name, 'sdkuser');
    const upd = await c.users.update(r.uid, { signature: 'new here' });
    assert.equal(upd.uid, r.uid);
    const err = await rejectsWith(client().register({ name: 'sdkuser', mail: 'other@example.com', pass: 'x' }), 406, /^Not Acceptable : The name sdkuser is already taken\./);
    assert.match(err.formErrors?.name ?? '', /already taken/);
  });

  it('admin: index, create, delete, cancel, password_reset, resend_welcome_email', async () => {
    const c = client();
    await c.login('admin', 'admin');
    const rows = await c.users.index({ page: 0, pagesize: 2, fields: ['uid', 'name'] });
    assert.equal(rows.length, 2);
    for (const row of rows) {
      assert.deepEqual(Object.keys(row).sort(), ['name', 'uid', 'uri']);
      assert.equal(row.uri, `${srv.url}/rest/user/${row.uid}`);
    }
    const created = await c.users.create({ name: 'made', mail: 'made@example.com', pass: 'madepass' });
    assert.equal(await c.users.resendWelcomeEmail(created.uid), true);
    assert.equal(await c.users.passwordReset(created.uid), true);
    assert.equal(await c.users.cancel(created.uid), true);
    assert.equal(await c.users.delete(created.uid), true);
    await rejectsWith(c.users.retrieve(created.uid), 404, `Not found : There is no user with ID ${created.uid}.`);
    await rejectsWith(c.users.delete(1), 403, ': The admin user cannot be deleted.');
  });

  it('index filters with parameters[col] (recorded: user-ops step 31)', async () => {
    const c = client();
    await c.login('admin', 'admin');
    const rows = await c.users.index({ parameters: { name: 'bob' }, fields: 'uid,name,mail,status' });
    assert.deepEqual(rows, [{ uid: '3', name: 'bob', mail: 'bob@example.com', status: '1', uri: `${srv.url}/rest/user/3` }]);
  });

  it('password: request_new_password → mailed link → user_pass_reset → update without current_pass', async () => {
    const anon = client();
    assert.equal(await anon.requestNewPassword('bob'), true);
    await rejectsWith(anon.requestNewPassword('nobody'), 406, 'Not Acceptable : Sorry, nobody is not recognized as a user name or an e-mail address.');
    const mail = (await srv.mails()).filter((m) => m.to === 'bob@example.com').pop();
    assert.ok(mail, 'a mail to bob');
    const link = parseResetLink(mail.body);
    assert.ok(link, `a one-time link in: ${mail.body}`);
    const c = client();
    const reset = await c.userPassReset(link);
    assert.match(reset.pass_reset_token, TOKEN);
    await c.users.update(link.uid, { pass: 'bobnew' }, { passResetToken: reset.pass_reset_token });
    await c.logout();
    const again = client();
    assert.equal((await again.login('bob', 'bobnew')).user.name, 'bob');
  });
});
