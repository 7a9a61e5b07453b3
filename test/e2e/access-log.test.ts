/**
 * The access log of a real `gatehouse serve`: one line per request at info with method, path, status, time
 * and request id — and, after a login, a failed login, a token fetch (the fast path), a password-reset mail
 * and a visit of its one-time link, none of the passwords, tokens, session ids or link hashes.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loggablePath } from '../../src/ops/access-log.js';
import { gatehouseAsync, serve, stop } from '../helpers/cli.js';

describe('access log', () => {
  let dir: string;
  let env: Record<string, string>;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-accesslog-'));
    env = { DATABASE_URL: `sqlite:${path.join(dir, 'db.sqlite')}`, GATEHOUSE_MAIL_DIR: path.join(dir, 'mail'), GATEHOUSE_LOG_LEVEL: 'info', GATEHOUSE_SMTP_URL: '' };
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('loggablePath masks query values and link hashes', () => {
    assert.equal(loggablePath('/user/reset/2/1796290337/AbC-d_e/login?x=1'), '/user/reset/2/1796290337/[redacted]/login?x=[redacted]');
    assert.equal(loggablePath('/user/7/cancel/confirm/1700000000/h4sh'), '/user/7/cancel/confirm/1700000000/[redacted]');
    assert.equal(loggablePath('/?q=user/reset/2/1/hash'), '/?q=[redacted]');
    assert.equal(loggablePath('/rest/user.json?parameters[name]=bob&page=2'), '/rest/user.json?parameters[name]=[redacted]&page=[redacted]');
  });

  test('one line per request, and no secret in the log after login, reset and token traffic', async () => {
    const password = 'Adm1n-Secret-Pass';
    const wrong = 'Wrong-Guess-9876';
    assert.equal((await gatehouseAsync(['migrate'], env)).code, 0);
    assert.equal((await gatehouseAsync(['user', 'add', 'logme', '--mail', 'logme@example.com', '--password-stdin'], env, password)).code, 0);
    const server = await serve(env, { mailWorker: true });
    const secrets: string[] = [password, wrong];
    let requests = 0;
    const call = async (url: string, init?: RequestInit) => { requests++; return fetch(`${server.url}${url}`, init); };
    const json = { 'content-type': 'application/json' };
    try {
      assert.equal((await call('/rest/user/login.json', { method: 'POST', headers: json, body: JSON.stringify({ username: 'logme', password: wrong }) })).status, 401);
      const login = await call('/rest/user/login.json', { method: 'POST', headers: json, body: JSON.stringify({ username: 'logme', password }) });
      const session = (await login.json()) as { sessid: string; session_name: string; token: string };
      secrets.push(session.sessid, session.token);
      const cookie = `${session.session_name}=${session.sessid}`;
      const token = await (await call('/services/session/token', { headers: { cookie } })).text();
      secrets.push(token);
      assert.equal((await call(`/rest/user.json?parameters[name]=logme&pass=${encodeURIComponent(password)}`, { headers: { cookie, 'x-csrf-token': token } })).status, 200);
      assert.equal((await call('/rest/user/request_new_password.json', { method: 'POST', headers: json, body: JSON.stringify({ name: 'logme' }) })).status, 200);
      let link: string | undefined;
      for (let i = 0; i < 100 && !link; i++) {
        const files = fs.existsSync(env.GATEHOUSE_MAIL_DIR) ? fs.readdirSync(env.GATEHOUSE_MAIL_DIR) : [];
        const text = files.map((f) => fs.readFileSync(path.join(env.GATEHOUSE_MAIL_DIR, f), 'utf8').replace(/=\r?\n/g, '')).join('\n');
        link = /\/user\/reset\/\d+\/\d+\/[A-Za-z0-9_-]+/.exec(text)?.[0];
        if (!link) await new Promise((r) => setTimeout(r, 100));
      }
      assert.ok(link, 'the reset mail was written');
      secrets.push(link.split('/').pop()!);
      assert.equal((await call(link)).status, 200);
      await new Promise((r) => setTimeout(r, 300));
    } finally {
      await stop(server.child);
    }
    const log = server.output();
    for (const secret of secrets) assert.ok(!log.includes(secret), `the log contains a secret (${secret.slice(0, 4)}…):\n${log}`);
    const lines = log.split('\n').filter((l) => l.includes('"msg":"request"')).map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(lines.filter((l) => l.path !== '/healthz').length, requests, `one access line per request (besides serve()'s /healthz probe):\n${log}`);
    for (const l of lines) {
      assert.equal(l.level, 30, 'at info');
      assert.equal(typeof l.reqId, 'string');
      assert.equal(typeof l.ms, 'number');
      assert.match(String(l.method), /^(GET|POST)$/);
    }
    assert.ok(lines.some((l) => l.path === '/services/session/token' && l.status === 200), 'the fast token path is logged too');
    assert.ok(lines.some((l) => l.path === '/rest/user/login.json' && l.status === 401));
    assert.ok(lines.some((l) => /^\/user\/reset\/\d+\/\d+\/\[redacted\]$/.test(String(l.path))));
  });
});
