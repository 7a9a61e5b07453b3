/**
 * The SDK against the recorded real site: a replay server answers from the Drupal 7 + Services transcripts,
 * and the tests check both what the SDK sent (the same cookie, token and body as the recorded client) and
 * how it read the answers (typed results, reason phrases, form errors).
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { GatehouseClientError } from '../../src/client/errors.js';
import { createNodeClient } from '../../src/client/node.js';
import { loadScenario, startTranscriptServer, type RecordedStep, type TranscriptServer } from '../helpers/transcript-server.js';

const servers: TranscriptServer[] = [];
async function serve(scenario: string | RecordedStep[], opts = {}): Promise<TranscriptServer> {
  const s = await startTranscriptServer(scenario, opts);
  servers.push(s);
  return s;
}
after(async () => { await Promise.all(servers.map((s) => s.close())); });

const seq = (s: TranscriptServer) => s.received.map((r) => `${r.method} ${r.path} #${r.step?.step ?? 'none'}`);

describe('SDK against seed-login (login → token → retrieve → update → logout)', () => {
  it('sends what the recorded client sent and reads the typed answers', async () => {
    const s = await serve('seed-login');
    const c = createNodeClient({ baseUrl: s.url, trace: true });

    const login = await c.login('admin', 'admin');
    assert.equal(login.user.name, 'admin');
    assert.equal(login.user.uid, '1');
    assert.equal(c.csrfToken, login.token, 'the login answer token is kept');

    const token = await c.token();
    assert.equal(token, login.token, 'GET /services/session/token gives the same token for the session');

    const user = await c.users.retrieve(1);
    assert.equal(user.mail, 'admin@example.com');
    assert.deepEqual(user.roles, { 2: 'authenticated user', 3: 'administrator' });

    const updated = await c.users.update(1, { signature: 'hello from peer', timezone: 'Europe/Paris' });
    assert.equal(updated.uid, '1');
    assert.equal(updated.timezone, 'Europe/Paris');

    assert.equal(await c.logout(), true);
    assert.equal(c.csrfToken, undefined, 'logout forgets the token');
    assert.equal(await c.cookieStore.hasSession(s.url), false, 'the deleted cookie left the jar');

    assert.deepEqual(seq(s), [
      'POST /rest/user/login #2',
      'GET /services/session/token #3',
      'GET /rest/user/1 #5',
      'PUT /rest/user/1 #7',
      'POST /rest/user/logout #10',
    ]);
    for (const r of s.received) {
      assert.equal(r.headers.cookie, s.recordedHeader(r, 'Cookie'), `Cookie of ${r.method} ${r.path}`);
      if (r.method !== 'GET') assert.equal(r.headers['x-csrf-token'], s.recordedHeader(r, 'X-CSRF-Token'), `token of ${r.method} ${r.path}`);
    }
    assert.equal(s.received[0].body, s.received[0].step!.request!.body, 'login body as recorded');
    assert.equal(s.received[3].body, s.received[3].step!.request!.body, 'update body as recorded');

    const text = c.trace!.render();
    assert.match(text, /^1\. POST http:\/\/127\.0\.0\.1:\d+\/rest\/user\/login\n/);
    assert.match(text, /"password":"\*\*\*"/, 'passwords are masked in traces');
    assert.match(text, /\n5\. POST .*\/rest\/user\/logout\n(.*\n)*\s+→ HTTP\/1\.1 200 OK\n\s+Set-Cookie: SESSfe96f6b8880f9bdcaa7dadae3db02b95=deleted;/);
  });

  it('a second logout fails with the recorded status line as a typed error', async () => {
    const s = await serve('seed-login', { steps: [12] });
    const c = createNodeClient({ baseUrl: s.url });
    await assert.rejects(c.logout(), (err: unknown) => {
      assert.ok(err instanceof GatehouseClientError);
      assert.equal(err.status, 406);
      assert.equal(err.reasonPhrase, 'Not Acceptable : User is not logged in.');
      assert.deepEqual(err.body, ['User is not logged in.']);
      assert.equal(err.serviceMessage, 'User is not logged in.');
      assert.equal(err.formErrors, undefined);
      return true;
    });
  });
});

describe('SDK against seed-register (connect → token → register → token)', () => {
  it('registers like a visitor and refreshes the token with the new session cookie', async () => {
    const s = await serve('seed-register');
    const c = createNodeClient({ baseUrl: s.url, trace: true });
    const created = await c.register({ name: 'newuser1', mail: 'newuser1@example.com', pass: 'secret1' });
    assert.deepEqual(created, { uid: '5', uri: `${s.url}/rest/user/5` });
    assert.deepEqual(s.received.map((r) => `${r.method} ${r.path}`), [
      'POST /rest/system/connect',
      'GET /services/session/token',
      'POST /rest/user/register',
      'GET /services/session/token',
    ]);
    const [connect, token, register, refresh] = s.received;
    assert.equal(connect.headers.cookie, undefined, 'a visitor has no cookie');
    assert.equal(token.headers.cookie, undefined);
    assert.equal(register.body, register.step!.request!.body, 'register body as recorded');
    assert.equal(register.headers['x-csrf-token'], 'e7sR9Vj0xwr5o577bquZ9kqB3Xr5MQZUrIaUMTQPGmM', 'the token fetched before is sent');
    const cookie = /^(SESS[0-9a-f]{32}=[^;]+)/.exec(register.step!.response!.headers.find(([k]) => k === 'Set-Cookie')![1])![1];
    assert.equal(refresh.headers.cookie, cookie, 'the token is refreshed with the session register started');
    assert.equal(c.csrfToken, refresh.step!.response!.body);
  });

  it('register validation errors are typed with their form errors', async () => {
    const s = await serve('seed-register', { steps: [4, 2, 11] });
    const c = createNodeClient({ baseUrl: s.url });
    await assert.rejects(c.register({ name: 'newuser7', mail: 'newuser7@example.com' }), (err: unknown) => {
      assert.ok(err instanceof GatehouseClientError);
      assert.equal(err.status, 406);
      assert.equal(err.reasonPhrase, 'Not Acceptable : Password field is required.');
      assert.deepEqual(err.formErrors, { pass: 'Password field is required.' });
      return true;
    });
  });
});

describe('SDK token rules against recorded answers', () => {
  it('after 401 CSRF validation failed it fetches the token once and retries', async () => {
    const login = loadScenario('seed-login').find((x) => x.step === 2)!;
    const token = loadScenario('seed-login').find((x) => x.step === 3)!;
    const okPut = loadScenario('seed-login').find((x) => x.step === 7)!;
    const csrf = loadScenario('login-then-unsafe-without-token').find((x) => x.step === 4)!;
    const steps = [login, { ...csrf, request: { ...csrf.request!, path: '/rest/user/1' } }, token, okPut].map((x, i) => ({ ...x, step: i + 1 }));
    const s = await serve(steps);
    const c = createNodeClient({ baseUrl: s.url, trace: true });
    await c.login('admin', 'admin');
    c.importState({ token: 'stale-token', authenticated: true });
    const r = await c.users.update(1, { signature: 'hello from peer', timezone: 'Europe/Paris' });
    assert.equal(r.uid, '1');
    assert.deepEqual(seq(s), ['POST /rest/user/login #1', 'PUT /rest/user/1 #2', 'GET /services/session/token #3', 'PUT /rest/user/1 #4']);
    assert.equal(s.received[1].headers['x-csrf-token'], 'stale-token');
    assert.equal(s.received[3].headers['x-csrf-token'], token.response!.body);
    assert.deepEqual(c.trace!.entries.map((e) => e.note), [undefined, undefined, 'automatic, after CSRF failure', 'retry']);
  });

  it('an unsafe request of a session without a known token fetches it first', async () => {
    const s = await serve('seed-login', { steps: [2, 3, 10] });
    const c = createNodeClient({ baseUrl: s.url });
    await c.login('admin', 'admin');
    c.importState({ token: undefined, authenticated: true });
    await c.logout();
    assert.deepEqual(seq(s), ['POST /rest/user/login #2', 'GET /services/session/token #3', 'POST /rest/user/logout #10']);
  });

  it('reason phrases without a status word (403 : …) are kept whole', async () => {
    const s = await serve('user-ops', { steps: [4] });
    const c = createNodeClient({ baseUrl: s.url });
    await assert.rejects(c.users.retrieve(1), (err: unknown) => {
      assert.ok(err instanceof GatehouseClientError);
      assert.equal(err.status, 403);
      assert.equal(err.reasonPhrase, ': Access denied for user anonymous');
      assert.equal(err.serviceMessage, 'Access denied for user anonymous');
      return true;
    });
  });

  it('index and password requests read their recorded answers', async () => {
    const s = await serve('user-ops', { steps: [28, 29, 31, 49, 51] });
    const c = createNodeClient({ baseUrl: s.url });
    await c.login('admin', 'admin');
    const rows = await c.users.index({ page: 0, pagesize: 2, fields: ['uid', 'name'] });
    assert.deepEqual(rows.map((r) => r.name), ['carol', 'bob']);
    const bob = await c.users.index({ parameters: { name: 'bob' }, fields: 'uid,name,mail,status' });
    assert.equal(bob[0].mail, 'bob@example.com');
    await c.logout().catch(() => undefined);
    const anon = createNodeClient({ baseUrl: s.url });
    assert.equal(await anon.requestNewPassword('alice'), true);
    await assert.rejects(anon.requestNewPassword('nobody'), /Sorry, nobody is not recognized/);
    assert.deepEqual(seq(s).filter((x) => !x.includes('logout')), [
      'POST /rest/user/login #28',
      'GET /rest/user?page=0&pagesize=2&fields=uid,name #29',
      'GET /rest/user?parameters%5Bname%5D=bob&fields=uid,name,mail,status #31',
      'POST /rest/user/request_new_password #49',
      'POST /rest/user/request_new_password #51',
    ]);
  });
});
