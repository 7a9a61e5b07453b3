/**
 * The audit log: account events done through the pages and the console are recorded with who did them and
 * from which IP, shown at /admin/audit (filtered by account), exported as JSON lines, and dropped after the
 * site's retention.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../../helpers/test-server.js';
import { PageClient } from './page-client.js';

let server: TestServer;
before(async () => { server = await startTestServer({ settings: { user_register: 1, user_email_verification: false } }); });
after(async () => { await server?.close(); });

async function loggedIn(name: string, pass: string): Promise<PageClient> {
  const c = new PageClient(server.url);
  assert.equal((await c.submit('/user/login', 'user-login', { name, pass })).status, 303);
  return c;
}

interface Line { event: string; actorName: string; targetName: string; ip: string; detail: string; created: number }

async function exported(admin: PageClient, query = ''): Promise<Line[]> {
  const res = await admin.get(`/admin/audit/export${query}`);
  assert.equal(res.status, 200);
  return res.text.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Line);
}

describe('audit log', () => {
  it('records logins, failed logins, registration, password change, block and role change with actor and IP', async () => {
    await new PageClient(server.url).submit('/user/login', 'user-login', { name: 'alice', pass: 'wrong' });
    const alice = await loggedIn('alice', 'alicepass');
    const edit = (await alice.get('/user/login')).location!;
    await alice.submit(edit, 'user-profile-form', { mail: 'alice@example.com', current_pass: 'alicepass', pass1: 'alice2', pass2: 'alice2' });
    await new PageClient(server.url).submit('/user/register', 'user-register', { name: 'fred', mail: 'fred@example.com', pass1: 'fp', pass2: 'fp' });
    const admin = await loggedIn('admin', 'admin');
    const bob = (await server.server.store.accounts.byName('bob', '='))!;
    await admin.submit('/admin/people', 'user-admin-account', { operation: 'block', accounts: [String(bob.uid)] });
    const rid = (await server.server.store.roles.all()).find((r) => r.name === 'administrator')!.rid;
    await admin.submit('/admin/people', 'user-admin-account', { operation: `add_role-${rid}`, accounts: [String(bob.uid)] });

    const lines = await exported(admin);
    const seen = (event: string, target: string) => lines.find((l) => l.event === event && l.targetName === target);
    assert.ok(lines.find((l) => l.event === 'login_failed' && /alice/.test(l.detail) && l.ip === '127.0.0.1'), 'failed login');
    assert.equal(seen('login', 'alice')?.actorName, 'alice');
    assert.equal(seen('password_change', 'alice')?.detail, 'own');
    assert.equal(seen('register', 'fred')?.actorName, '', 'registered by a visitor');
    assert.equal(seen('block', 'bob')?.actorName, 'admin');
    assert.match(seen('role_change', 'bob')?.detail ?? '', new RegExp(`added role ${rid}`));
    assert.ok(lines.every((l) => !/alice2|alicepass/.test(JSON.stringify(l))), 'no password in the log');

    const page = await admin.get(`/admin/audit?uid=${bob.uid}`);
    assert.equal(page.status, 200);
    assert.match(page.text, /<td>block<\/td>/);
    assert.doesNotMatch(page.text, /<td>register<\/td>/, 'filtered to bob');
    assert.equal((await alice.get('/admin/audit')).status, 403);
    assert.equal((await alice.get('/admin/audit/export')).status, 403);
  });

  it('drops events older than the retention', async () => {
    const db = server.server.database.db;
    await db.insertInto('gatehouse_audit').values({ created: 1000, event: 'login', actor_uid: 2, actor_name: 'ancient', target_uid: 2, target_name: 'ancient', ip: '10.0.0.1', detail: '' }).execute();
    await server.setVariable('gatehouse_audit_retention_days', 30);
    const admin = await loggedIn('admin', 'admin');
    const lines = await exported(admin);
    assert.equal(lines.filter((l) => l.actorName === 'ancient').length, 0);
  });
});
