import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openDatabase } from '../../src/storage/database.js';
import { call } from '../helpers/http.js';
import { ensureBuilt, freePort, logLines, startServe } from './serve-process.js';

describe('gatehouse serve as a process: logs, metrics port, SIGTERM during load', () => {
  let dir = '';
  before(() => { ensureBuilt(); dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-serve-')); });
  after(() => { fs.rmSync(dir, { recursive: true, force: true }); });

  test('structured JSON logs carry the request id; metrics on their own port; SIGTERM loses no acknowledged registration', async () => {
    const metricsPort = await freePort();
    const file = path.join(dir, 'serve.sqlite');
    const s = await startServe({ env: {
      DATABASE_URL: `sqlite:${file}`, GATEHOUSE_LOG_LEVEL: 'debug', GATEHOUSE_METRICS_PORT: String(metricsPort),
      GATEHOUSE_VARIABLE_user_register: '1', GATEHOUSE_VARIABLE_user_email_verification: 'false',
    } });

    await call(`${s.url}/rest/system/connect`, { method: 'POST', headers: { 'X-Request-Id': 'trace-me-1' }, json: {} });
    // pino writes asynchronously: wait until the completion line is out.
    const done = () => logLines(s.output()).some((l) => l.reqId === 'trace-me-1' && l.msg === 'request');
    for (let i = 0; i < 50 && !done(); i++) await new Promise((r) => setTimeout(r, 100));
    const traced = logLines(s.output()).filter((l) => l.reqId === 'trace-me-1');
    assert.ok(traced.some((l) => l.msg === 'request' && l.method === 'POST' && l.path === '/rest/system/connect' && l.status === 200), `no access line with reqId trace-me-1 in:\n${s.output()}`);
    assert.ok(traced.every((l) => typeof l.pid === 'number' && typeof l.time === 'number' && typeof l.level === 'number'));

    const metrics = await call(`http://127.0.0.1:${metricsPort}/metrics`);
    assert.equal(metrics.status, 200);
    assert.match(metrics.text, /gatehouse_http_request_duration_seconds_count\{method="POST",route="\/rest\/system\/connect",status="200"\} 1/);
    assert.equal((await call(`${s.url}/metrics`)).status, 404, 'not on the public port when a metrics port is set');

    // Load: 16 clients register accounts back to back; SIGTERM once 30 are acknowledged.
    const acknowledged: Array<{ name: string; uid: string }> = [];
    const refused: string[] = [];
    let afterSignal = 0;
    let signalled = false;
    let n = 0;
    const client = async () => {
      while (true) {
        const name = `load${n++}`;
        try {
          const r = await call(`${s.url}/rest/user/register`, { method: 'POST', json: { name, mail: `${name}@example.com`, pass: 'pw-load' } });
          if (r.status === 200) { acknowledged.push({ name, uid: r.json.uid }); if (signalled) afterSignal++; }
          else refused.push(`${r.status} ${r.reason}`);
        } catch {
          return; // the server stopped accepting connections
        }
        if (acknowledged.length >= 30 && !signalled) { signalled = true; s.child.kill('SIGTERM'); }
      }
    };
    await Promise.all(Array.from({ length: 16 }, client));
    assert.equal(await s.exited, 0, s.output());
    assert.ok(signalled);
    assert.ok(afterSignal >= 1, 'requests in flight at SIGTERM were finished');
    assert.deepEqual(refused.filter((r) => !r.startsWith('503')), [], 'while closing, only 503 refusals');
    assert.ok(logLines(s.output()).some((l) => l.msg === 'stopped'));

    const h = await openDatabase(`sqlite:${file}`);
    try {
      const rows = await h.db.selectFrom('users').select(['uid', 'name']).where('name', 'like', 'load%').execute();
      const stored = new Map(rows.map((r) => [r.name, String(r.uid)]));
      for (const a of acknowledged) assert.equal(stored.get(a.name), String(a.uid), `acknowledged ${a.name} is stored`);
    } finally {
      await h.close();
    }
  });
});
