/**
 * The operator commands, run as the built bin against a real SQLite file, with their effect checked over
 * HTTP against a running server on the same file: variable list/get (effective settings with default and
 * source), flood list/clear and set-password lifting a lock, session list/revoke, user show/search/rename/
 * delete, role create/grant/revoke, permission grant/revoke, passwords from stdin; every one with --json.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { gatehouseAsync, gatehouseJson, serve, type ServedCli, stop } from '../helpers/cli.js';

interface Setting { name: string; value: unknown; default: unknown; source: string }

describe('operator commands', () => {
  let dir: string;
  let env: Record<string, string>;
  let server: ServedCli;
  const ok = async (args: string[], input?: string) => {
    const r = await gatehouseAsync(args, env, input);
    assert.equal(r.code, 0, `gatehouse ${args.join(' ')}: ${r.err}`);
    return r;
  };
  const login = (name: string, password: string) => fetch(`${server.url}/rest/user/login.json`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: name, password }),
  });
  const sessionOf = async (name: string, password: string) => {
    const res = await login(name, password);
    assert.equal(res.status, 200);
    const j = (await res.json()) as { session_name: string; sessid: string };
    return `${j.session_name}=${j.sessid}`;
  };
  /** Whether a session cookie still logs its account in: its own account page answers only then. */
  const alive = async (cookie: string, uid: number) => (await fetch(`${server.url}/rest/user/${uid}.json`, { headers: { cookie } })).status === 200;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-ops-'));
    env = { DATABASE_URL: `sqlite:${path.join(dir, 'ops.sqlite')}`, GATEHOUSE_LOG_LEVEL: 'warn', GATEHOUSE_MAIL_DIR: path.join(dir, 'mail'), GATEHOUSE_VARIABLE_site_slogan: '"From env"' };
    await ok(['migrate']);
    server = await serve(env);
  });
  after(async () => {
    await stop(server.child);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('variable list/get: every setting in effect with its default and source', async () => {
    const before = await gatehouseJson<Setting[]>(['variable', 'list'], env);
    assert.deepEqual(before.find((s) => s.name === 'user_register'), { name: 'user_register', value: 2, default: 2, source: 'default' });
    assert.deepEqual(before.find((s) => s.name === 'site_slogan'), { name: 'site_slogan', value: 'From env', default: null, source: 'configuration' });
    assert.equal((await ok(['variable', 'get', 'user_register'])).out.trim(), '2', 'get prints the value in effect, not null');
    await ok(['variable', 'set', 'user_register', '1']);
    assert.deepEqual((await gatehouseJson(['variable', 'get', 'user_register'], env)), { name: 'user_register', value: 1, default: 2, source: 'database' });
    assert.match((await ok(['variable', 'list'])).out, /^user_register\s+1\s+\[database\]\s+\(default 2\)$/m);
    await ok(['variable', 'delete', 'user_register']);
    assert.equal((await ok(['variable', 'get', 'user_register'])).out.trim(), '2');
    const db = new Database(env.DATABASE_URL.slice('sqlite:'.length), { readonly: true });
    try {
      const events = db.prepare("select actor_name, detail from gatehouse_audit where event = 'settings_change' order by id").all();
      assert.deepEqual(events, [{ actor_name: 'gatehouse CLI', detail: 'set user_register' }, { actor_name: 'gatehouse CLI', detail: 'deleted user_register' }]);
    } finally { db.close(); }
  });

  test('passwords from stdin; --password still works with a warning', async () => {
    const added = (await ok(['user', 'add', 'stdin1', '--mail', 'stdin1@example.com', '--password-stdin'], 'from-stdin-1\n'));
    assert.doesNotMatch(added.err, /warning/);
    assert.equal((await login('stdin1', 'from-stdin-1')).status, 200);
    const piped = (await ok(['user', 'set-password', 'stdin1'], 'piped-2'));
    assert.match(piped.out, /password set for stdin1/);
    assert.equal((await login('stdin1', 'piped-2')).status, 200);
    const arg = (await ok(['user', 'add', 'argpass', '--mail', 'argpass@example.com', '--password', 'on-the-line']));
    assert.match(arg.err, /warning: a password given on the command line is visible/);
    assert.notEqual((await gatehouseAsync(['user', 'add', 'nopass', '--mail', 'nopass@example.com'], env, '')).code, 0, 'an empty password is refused');
  });

  test('flood list/clear, and set-password lifts the account\'s lock', async () => {
    await ok(['user', 'add', 'locked1', '--mail', 'locked1@example.com', '--password', 'right-1']);
    for (let i = 0; i < 5; i++) assert.equal((await login('locked1', 'wrong')).status, 401);
    const blocked = await login('locked1', 'right-1');
    assert.notEqual(blocked.status, 200, 'five failures lock the account');
    const listed = (await gatehouseJson<Array<{ event: string; identifier: string; count: number }>>(['flood', 'list'], env));
    const uid = (await gatehouseJson<{ uid: number }>(['user', 'show', 'locked1'], env)).uid;
    const entry = listed.find((e) => e.event === 'failed_login_attempt_user' && e.identifier.startsWith(`${uid}-`));
    assert.ok(entry, JSON.stringify(listed));
    assert.ok(entry.count >= 5);
    assert.match((await ok(['user', 'set-password', 'locked1', '--password-stdin'], 'right-2')).out, /failed-login lock lifted/);
    assert.equal((await login('locked1', 'right-2')).status, 200, 'set-password lifted the lock');
    for (let i = 0; i < 5; i++) await login('locked1', 'wrong');
    assert.notEqual((await login('locked1', 'right-2')).status, 200);
    const cleared = (await gatehouseJson<{ removed: number }>(['flood', 'clear', '--user', 'locked1'], env));
    assert.ok(cleared.removed >= 5);
    assert.equal((await login('locked1', 'right-2')).status, 200, 'flood clear lifted the lock');
    assert.ok((await gatehouseJson<{ removed: number }>(['flood', 'clear', '--ip', '127.0.0.1'], env)).removed > 0);
    assert.notEqual((await gatehouseAsync(['flood', 'clear'], env)).code, 0, 'clear needs a target');
  });

  test('session list/revoke end an account\'s sessions', async () => {
    await ok(['user', 'add', 'sess1', '--mail', 'sess1@example.com', '--password', 'pw-sess']);
    const a = await sessionOf('sess1', 'pw-sess');
    const b = await sessionOf('sess1', 'pw-sess');
    const uid = (await gatehouseJson<{ uid: number }>(['user', 'show', 'sess1'], env)).uid;
    assert.deepEqual([await alive(a, uid), await alive(b, uid)], [true, true]);
    const sessions = await gatehouseJson<Array<{ ref: string; hostname: string }>>(['session', 'list', 'sess1'], env);
    assert.equal(sessions.length, 2);
    assert.ok(sessions.every((s) => s.ref.length === 12 && !a.includes(s.ref) && !b.includes(s.ref)), 'refs are not the cookie value');
    assert.deepEqual(await gatehouseJson(['session', 'revoke', 'sess1', sessions[0].ref], env), { uid, name: 'sess1', revoked: 1 });
    assert.equal([await alive(a, uid), await alive(b, uid)].filter(Boolean).length, 1, 'one session ended');
    assert.match((await ok(['session', 'revoke', 'sess1'])).out, /1 session\(s\) of sess1 ended/);
    assert.deepEqual([await alive(a, uid), await alive(b, uid)], [false, false]);
    // Audited as the command line's doing, after the logins the server recorded.
    const db = new Database(env.DATABASE_URL.slice('sqlite:'.length), { readonly: true });
    try {
      const events = db.prepare('select event, actor_name, detail from gatehouse_audit where target_uid = ? order by id').all(uid) as Array<{ event: string; actor_name: string; detail: string }>;
      assert.deepEqual(events.map((e) => `${e.event} by ${e.actor_name}`), ['account_create by gatehouse CLI', 'login by sess1', 'login by sess1', 'session_end by gatehouse CLI', 'session_end by gatehouse CLI']);
      assert.equal(events[4].detail, 'all 1 sessions');
    } finally { db.close(); }
  });

  test('user show/search/rename/delete', async () => {
    await ok(['user', 'add', 'findme', '--mail', 'found.it@example.org', '--password', 'pw-find']);
    const shown = (await gatehouseJson<Record<string, unknown>>(['user', 'show', 'findme'], env));
    assert.equal(shown.mail, 'found.it@example.org');
    assert.equal(shown.pass, undefined, 'the hash is not shown');
    assert.deepEqual(shown.roles, {});
    assert.deepEqual((await gatehouseJson<Array<{ name: string }>>(['user', 'search', 'FOUND.IT'], env)).map((r) => r.name), ['findme']);
    assert.match((await ok(['user', 'rename', 'findme', 'foundyou'])).out, /renamed findme to foundyou/);
    assert.equal((await login('foundyou', 'pw-find')).status, 200);
    assert.equal((await login('findme', 'pw-find')).status, 401);
    assert.match((await gatehouseAsync(['user', 'rename', 'foundyou', 'stdin1'], env)).err, /already taken/);
    assert.deepEqual((await gatehouseJson(['user', 'delete', 'foundyou'], env)), { uid: shown.uid, name: 'foundyou', deleted: true });
    assert.equal((await login('foundyou', 'pw-find')).status, 401);
    assert.match((await gatehouseAsync(['user', 'show', 'foundyou'], env)).err, /no such user/);
  });

  test('user people (the console\'s list) and user cancel with Drupal\'s methods, audited', async () => {
    for (const n of ['pplone', 'ppltwo', 'pplthree']) await ok(['user', 'add', n, '--mail', `${n}@people.example`, '--password', 'pw-ppl']);
    await ok(['user', 'block', 'ppltwo']);
    await ok(['role', 'create', 'pplrole']);
    await ok(['role', 'grant', 'pplthree', 'pplrole']);
    const names = async (...args: string[]) => (await gatehouseJson<Array<{ name: string }>>(['user', 'people', ...args], env)).map((r) => r.name);
    assert.deepEqual(await names('--prefix', 'PPL'), ['pplthree', 'ppltwo', 'pplone'], 'newest first, the site\'s case rule');
    assert.deepEqual(await names('--prefix', 'ppl', '--status', '0'), ['ppltwo']);
    assert.deepEqual(await names('--role', 'pplrole'), ['pplthree']);
    const three = await gatehouseJson<Array<{ uid: number }>>(['user', 'people', '--prefix', 'pplthree'], env);
    assert.deepEqual(await names('--prefix', 'ppl', '--before', String(three[0].uid)), ['ppltwo', 'pplone']);
    assert.deepEqual(await names('--prefix', 'ppl', '--sort', 'name'), ['pplone', 'pplthree', 'ppltwo']);
    // The text listing ends with the next page's cursor when the page is full.
    const page = await gatehouseAsync(['user', 'people', '--prefix', 'ppl', '--sort', 'name', '--limit', '2'], env);
    const next = /^next: --after (\S+)$/m.exec(page.out)?.[1];
    assert.ok(next, page.out);
    assert.deepEqual(await names('--prefix', 'ppl', '--sort', 'name', '--after', next), ['ppltwo']);
    assert.match((await gatehouseAsync(['user', 'people', '--sort', 'age'], env)).err, /--sort must be one of newest, name, access/);

    const cookie = await sessionOf('pplone', 'pw-ppl');
    const uid = (await gatehouseJson<{ uid: number }>(['user', 'show', 'pplone'], env)).uid;
    const cancelled = await gatehouseJson<{ message: string }>(['user', 'cancel', 'pplone', '--method', 'user_cancel_block'], env);
    assert.equal(cancelled.message, 'pplone has been disabled.');
    assert.equal((await gatehouseJson<{ status: number }>(['user', 'show', 'pplone'], env)).status, 0);
    assert.equal(await alive(cookie, uid), false, 'a blocked account\'s sessions end');
    assert.match((await gatehouseAsync(['user', 'cancel', 'pplone', '--method', 'nope'], env)).err, /--method must be one of/);
    assert.equal((await gatehouseJson<{ message: string }>(['user', 'cancel', 'pplthree', '--method', 'user_cancel_delete'], env)).message, 'pplthree has been deleted.');
    assert.match((await gatehouseAsync(['user', 'show', 'pplthree'], env)).err, /no such user/);
    const db = new Database(env.DATABASE_URL.slice('sqlite:'.length), { readonly: true });
    try {
      const rows = db.prepare("select target_name, actor_name, detail from gatehouse_audit where event = 'cancel' and target_name like 'ppl%' order by id").all();
      assert.deepEqual(rows, [{ target_name: 'pplone', actor_name: 'gatehouse CLI', detail: 'user_cancel_block' }, { target_name: 'pplthree', actor_name: 'gatehouse CLI', detail: 'user_cancel_delete' }]);
    } finally { db.close(); }
  });

  test('role create/grant/revoke and permission grant/revoke, seen over HTTP', async () => {
    await ok(['user', 'add', 'editor1', '--mail', 'editor1@example.com', '--password', 'pw-ed']);
    const role = (await gatehouseJson<{ rid: number; name: string }>(['role', 'create', 'editor'], env));
    assert.ok(role.rid > 3);
    assert.match((await gatehouseAsync(['role', 'create', 'Editor'], env)).err, /already exists/);
    assert.equal((await gatehouseJson<{ changed: boolean }>(['role', 'grant', 'editor1', 'editor'], env)).changed, true);
    const cookie = await sessionOf('editor1', 'pw-ed');
    const token = await (await fetch(`${server.url}/services/session/token`, { headers: { cookie } })).text();
    const index = () => fetch(`${server.url}/rest/user.json`, { headers: { cookie, 'x-csrf-token': token } });
    assert.equal((await index()).status, 403, 'no "access user profiles" yet');
    await ok(['permission', 'grant', 'editor', 'access user profiles']);
    const roles = (await gatehouseJson<Array<{ name: string; permissions: string[] }>>(['role', 'list'], env));
    assert.deepEqual(roles.find((r) => r.name === 'editor')?.permissions, ['access user profiles']);
    await new Promise((r) => setTimeout(r, 1100)); // PostgreSQL caches roles for up to a second; SQLite sees the change at once
    assert.equal((await index()).status, 200, 'the granted permission is in force');
    assert.equal((await gatehouseJson<{ removed: number }>(['permission', 'revoke', 'editor', 'access user profiles'], env)).removed, 1);
    await new Promise((r) => setTimeout(r, 1100));
    assert.equal((await index()).status, 403);
    assert.deepEqual((await gatehouseJson<{ roles: Record<string, string> }>(['user', 'show', 'editor1'], env)).roles, { [role.rid]: 'editor' });
    assert.equal((await gatehouseJson<{ changed: boolean }>(['role', 'revoke', 'editor1', 'editor'], env)).changed, true);
    assert.deepEqual((await gatehouseJson<{ roles: Record<string, string> }>(['user', 'show', 'editor1'], env)).roles, {});
  });
});
