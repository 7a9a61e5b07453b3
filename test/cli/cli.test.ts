import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gatehouse, serve, stop } from '../helpers/cli.js';

/** The `gatehouse` command line, run as a user runs it (the built bin), against a real SQLite file. */
describe('gatehouse CLI', () => {
  let dir: string;
  let env: Record<string, string>;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-cli-'));
    env = { DATABASE_URL: `sqlite:${path.join(dir, 'cli.sqlite')}`, GATEHOUSE_LOG_LEVEL: 'warn', GATEHOUSE_MAIL_DIR: path.join(dir, 'mail') };
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('every command has --help', () => {
    for (const args of [[], ['serve'], ['migrate'], ['user'], ['user', 'add'], ['user', 'block'], ['user', 'unblock'], ['user', 'set-password'], ['user', 'list'], ['variable'], ['mail'], ['client']]) {
      const r = gatehouse([...args, '--help'], env);
      assert.equal(r.code, 0, `${args.join(' ')} --help: ${r.err}`);
      assert.match(r.out, /Usage: gatehouse/);
    }
    assert.match(gatehouse(['user', 'add', '--help'], env).out, /--mail <mail>[\s\S]*--password <password>[\s\S]*--role/);
  });

  test('configuration mistakes are reported at start, each with a clear message', () => {
    const r = gatehouse(['migrate'], { ...env, GATEHOUSE_PORT: 'eighty', DATABASE_URL: 'mysql://x', GATEHOUSE_LOGIN_NAME_MATCH: 'fuzzy' });
    assert.equal(r.code, 2);
    assert.match(r.err, /GATEHOUSE_PORT must be a whole number, got "eighty"/);
    assert.match(r.err, /DATABASE_URL must start with sqlite: or postgres:\/\//);
    assert.match(r.err, /GATEHOUSE_LOGIN_NAME_MATCH must be "insensitive" or "exact"/);
  });

  test('first start on an empty site creates uid 1 and prints its password once', async () => {
    const first = await serve(env);
    await stop(first.child);
    const password = /password: (\S{16})/.exec(first.output())?.[1];
    assert.ok(password, `no admin password printed: ${first.output()}`);
    const again = await serve(env);
    try {
      assert.doesNotMatch(again.output(), /password:/, 'the admin password is printed only once');
      const login = await fetch(`${again.url}/rest/user/login.json`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password }) });
      assert.equal(login.status, 200);
    } finally {
      await stop(again.child);
    }
  });

  test('migrate, user add/list/block/unblock/set-password, and the result over HTTP', async () => {
    assert.equal(gatehouse(['migrate'], env).code, 0);
    const add = gatehouse(['user', 'add', 'dora', '--mail', 'dora@example.com', '--password', 'first'], env);
    assert.equal(add.code, 0, add.err);
    assert.match(add.out, /created user dora \(uid \d+\)/);
    const bad = gatehouse(['user', 'add', 'a/b', '--mail', 'not-a-mail', '--password', 'x'], env);
    assert.notEqual(bad.code, 0);
    assert.match(bad.err, /The username contains an illegal character\.[\s\S]*The e-mail address not-a-mail is not valid\./);
    assert.match(gatehouse(['user', 'list'], env).out, /active\s+dora\s+<dora@example.com>/);
    assert.match(gatehouse(['user', 'block', 'dora'], env).out, /blocked dora/);
    assert.match(gatehouse(['user', 'list'], env).out, /blocked\s+dora/);
    assert.match(gatehouse(['user', 'unblock', 'dora'], env).out, /unblocked dora/);
    assert.match(gatehouse(['user', 'set-password', 'dora', 'second'], env).out, /password set for dora/);

    const server = await serve(env);
    try {
      const login = (pass: string) => fetch(`${server.url}/rest/user/login.json`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'dora', password: pass }) });
      assert.equal((await login('first')).status, 401);
      assert.equal((await login('second')).status, 200);
    } finally {
      await stop(server.child);
    }
  });

  test('variable set/get: site settings in the database win over environment defaults', async () => {
    assert.equal(gatehouse(['variable', 'set', 'site_name', '"From the database"'], env).code, 0);
    assert.equal(gatehouse(['variable', 'get', 'site_name'], env).out.trim(), '"From the database"');
    const server = await serve({ ...env, GATEHOUSE_SITE_NAME: 'From the environment' });
    try {
      const admin = gatehouse(['user', 'set-password', 'admin', 'adminpass'], env);
      assert.equal(admin.code, 0);
      const login = await fetch(`${server.url}/rest/user/login`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'adminpass' }) });
      const j = (await login.json()) as { session_name: string; sessid: string; token: string };
      const get = await fetch(`${server.url}/rest/system/get_variable`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json', cookie: `${j.session_name}=${j.sessid}`, 'x-csrf-token': j.token }, body: JSON.stringify({ name: 'site_name' }) });
      assert.deepEqual(await get.json(), ['From the database']);
    } finally {
      await stop(server.child);
    }
  });
});
