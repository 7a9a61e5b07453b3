// The account API (/gatehouse/api/…) over real HTTP: a user lists and ends their own sessions, an
// administrator those of any account and reads the audit log; every write needs the session's CSRF token,
// every answer is JSON, and what is ended is ended for the client holding that cookie.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { call, cookieOf } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { AccountAdmin } from '../../src/core/accounts/account-admin.js';

interface Client { cookie: string; token: string }

describe('account API: sessions and audit', () => {
  let t: TestServer;
  before(async () => { t = await startTestServer(); });
  after(() => t.close());

  const login = async (username: string, password: string): Promise<Client> => {
    const r = await call(`${t.url}/rest/user/login.json`, { method: 'POST', json: { username, password } });
    assert.equal(r.status, 200, r.text);
    return { cookie: cookieOf(r.json), token: r.json.token };
  };
  const api = (path: string, c: Client | null, init: { method?: string; token?: string | null } = {}) => call(`${t.url}/gatehouse/api${path}`, {
    method: init.method ?? 'GET',
    headers: { ...(c ? { Cookie: c.cookie } : {}), ...(init.token !== null && c && init.method && init.method !== 'GET' ? { 'X-CSRF-Token': init.token ?? c.token } : {}) },
  });
  const connectsAs = async (c: Client) => {
    const r = await call(`${t.url}/rest/system/connect.json`, { method: 'POST', headers: { Cookie: c.cookie, 'X-CSRF-Token': c.token }, json: {} });
    assert.equal(r.status, 200, r.text);
    return Number(r.json.user.uid) === 0 ? 'anonymous' : r.json.user.name;
  };

  it('lists the own sessions, marks the current one, and ends another one', async () => {
    const phone = await login('bob', 'bobpass');
    const laptop = await login('bob', 'bobpass');
    const listed = await api('/sessions', laptop);
    assert.equal(listed.status, 200, listed.text);
    assert.match(listed.headers.get('content-type') ?? '', /^application\/json/);
    const sessions = listed.json.sessions as Array<{ id: string; current: boolean; hostname: string; lastSeen: string }>;
    assert.ok(sessions.length >= 2);
    assert.equal(sessions.filter((s) => s.current).length, 1);
    assert.ok(sessions.every((s) => /^[A-Za-z0-9_-]{16}$/.test(s.id) && !phone.cookie.includes(s.id) && s.hostname !== '' && !Number.isNaN(Date.parse(s.lastSeen))));
    const other = sessions.find((s) => !s.current)!;
    // Without the token, nothing ends.
    const refused = await api(`/sessions/${other.id}`, laptop, { method: 'DELETE', token: null });
    assert.equal(refused.status, 403);
    assert.deepEqual(refused.json, { message: 'CSRF validation failed.' });
    assert.equal(await connectsAs(phone), 'bob');
    // The phone's session is the other one: find which and end it.
    const phoneView = (await api('/sessions', phone)).json.sessions.find((s: { current: boolean }) => s.current);
    const ended = await api(`/sessions/${phoneView.id}`, laptop, { method: 'DELETE' });
    assert.equal(ended.status, 200, ended.text);
    assert.deepEqual(ended.json, { ended: 1 });
    assert.equal(await connectsAs(phone), 'anonymous', 'the phone is logged out');
    assert.equal(await connectsAs(laptop), 'bob');
    assert.equal((await api(`/sessions/${phoneView.id}`, laptop, { method: 'DELETE' })).status, 404);
    const own = (await api('/sessions', laptop)).json.sessions.find((s: { current: boolean }) => s.current);
    assert.equal((await api(`/sessions/${own.id}`, laptop, { method: 'DELETE' })).status, 400, 'the own session ends by logging out');
  });

  it('ends every other session at once, keeping the one that asked', async () => {
    const a = await login('alice', 'alicepass');
    const b = await login('alice', 'alicepass');
    const c = await login('alice', 'alicepass');
    const r = await api('/sessions', c, { method: 'DELETE' });
    assert.equal(r.status, 200, r.text);
    assert.ok(r.json.ended >= 2);
    assert.deepEqual([await connectsAs(a), await connectsAs(b), await connectsAs(c)], ['anonymous', 'anonymous', 'alice']);
  });

  it('refuses visitors and checks parameters', async () => {
    const anonymous = await api('/sessions', null);
    assert.equal(anonymous.status, 403);
    assert.match(anonymous.json.message, /log in/);
    const admin = await login('admin', 'admin');
    assert.equal((await api('/sessions/not-an-id', admin, { method: 'DELETE' })).status, 400);
    assert.equal((await api('/users/abc/sessions', admin)).status, 400);
    assert.equal((await api('/users/99999/sessions', admin)).status, 404);
  });

  it('lets an administrator end an account\'s sessions, audited, and nobody else', async () => {
    const bob = await login('bob', 'bobpass');
    const alice = await login('alice', 'alicepass');
    const denied = await api('/users/1/sessions', alice);
    assert.equal(denied.status, 403);
    assert.deepEqual(denied.json, { message: 'Access denied for user alice.' });
    assert.equal((await api('/audit', alice)).status, 403);
    const admin = await login('admin', 'admin');
    const bobUid = (await call(`${t.url}/rest/system/connect.json`, { method: 'POST', headers: { Cookie: bob.cookie, 'X-CSRF-Token': bob.token }, json: {} })).json.user.uid;
    const listed = await api(`/users/${bobUid}/sessions`, admin);
    assert.equal(listed.status, 200, listed.text);
    assert.ok(listed.json.sessions.length >= 1);
    assert.ok(listed.json.sessions.every((s: { current: boolean }) => !s.current));
    const ended = await api(`/users/${bobUid}/sessions`, admin, { method: 'DELETE' });
    assert.equal(ended.status, 200, ended.text);
    assert.ok(ended.json.ended >= 1);
    assert.equal(await connectsAs(bob), 'anonymous');
    const audit = await api(`/audit?event=session_end&uid=${bobUid}&limit=5`, admin);
    assert.equal(audit.status, 200, audit.text);
    const event = audit.json.events[0];
    assert.equal(event.event, 'session_end');
    assert.equal(event.actorName, 'admin');
    assert.equal(event.targetUid, Number(bobUid));
    assert.match(event.detail, /\(API\)/);
    assert.ok(audit.json.next === null || typeof audit.json.next === 'number');
  });

  it('audits account events whichever protocol they come through: Services, the Drupal 8 dialect, the CLI\'s core', async () => {
    const name = `audited${Date.now() % 100000}`;
    const admin = await login('admin', 'admin');
    const created = await call(`${t.url}/rest/user.json`, { method: 'POST', headers: { Cookie: admin.cookie, 'X-CSRF-Token': admin.token }, json: { name, mail: `${name}@example.com`, pass: 'pw-1', status: 1 } });
    assert.equal(created.status, 200, created.text);
    const uid = Number(created.json.uid);
    assert.equal((await call(`${t.url}/rest/user/login.json`, { method: 'POST', json: { username: name, password: 'wrong' } })).status, 401);
    const user = await login(name, 'pw-1');
    assert.equal((await call(`${t.url}/rest/user/logout.json`, { method: 'POST', headers: { Cookie: user.cookie, 'X-CSRF-Token': user.token } })).status, 200);
    assert.equal((await call(`${t.url}/user/login?_format=json`, { method: 'POST', json: { name, pass: 'pw-1' } })).status, 200);
    await new AccountAdmin(t.server.core).setStatus(String(uid), 0);
    const slogan = await call(`${t.url}/rest/system/set_variable.json`, { method: 'POST', headers: { Cookie: admin.cookie, 'X-CSRF-Token': admin.token }, json: { name: 'site_slogan', value: 'audited' } });
    assert.equal(slogan.status, 200, slogan.text);
    const settings = (await api('/audit?event=settings_change', admin)).json.events as Array<{ actorName: string; detail: string }>;
    assert.deepEqual([settings[0].actorName, settings[0].detail], ['admin', 'set site_slogan']);
    const events = (await api(`/audit?uid=${uid}`, admin)).json.events as Array<{ event: string; actorName: string; targetUid: number | null; detail: string; ip: string }>;
    const kinds = events.map((e) => e.event).reverse();
    assert.deepEqual(kinds, ['account_create', 'login', 'logout', 'login', 'block'], JSON.stringify(events));
    assert.equal(events.find((e) => e.event === 'account_create')?.actorName, 'admin');
    assert.equal(events.find((e) => e.event === 'logout')?.actorName, name);
    assert.equal(events.find((e) => e.event === 'block')?.actorName, 'gatehouse CLI');
    assert.ok(events.filter((e) => e.event !== 'block').every((e) => e.ip === '127.0.0.1'));
    // A failed login names no account (the name may not exist): it is found by its detail.
    const failed = (await api('/audit?event=login_failed&limit=50', admin)).json.events as Array<{ detail: string }>;
    assert.ok(failed.some((e) => e.detail === `name "${name}": wrong_credentials`), JSON.stringify(failed));
  });

  it('pages the audit log by id, newest first', async () => {
    const admin = await login('admin', 'admin');
    for (let i = 0; i < 3; i++) await login('alice', 'alicepass');
    const first = await api('/audit?limit=2', admin);
    assert.equal(first.json.events.length, 2);
    assert.equal(typeof first.json.next, 'number');
    const second = await api(`/audit?limit=2&before=${first.json.next}`, admin);
    assert.ok(second.json.events.every((e: { id: number }) => e.id < first.json.next));
    assert.ok(first.json.events[0].id > first.json.events[1].id);
    assert.equal((await api('/audit?limit=9999', admin)).status, 400);
  });
});
