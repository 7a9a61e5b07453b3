import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { call, cookieOf } from '../helpers/http.js';
import { createTestSchema, PG_URL, postgresSkipReason, type TestSchema } from '../helpers/postgres.js';
import { ensureBuilt, freePort, logLines, startServe } from './serve-process.js';

const pgSkip = await postgresSkipReason();

describe('gatehouse serve --workers 2 on PostgreSQL', { skip: pgSkip ?? false }, () => {
  let schema: TestSchema;
  before(async () => { ensureBuilt(); schema = await createTestSchema('gh_cluster'); });
  after(async () => { await schema?.drop(); });

  test('two workers serve one site; the primary sums their metrics; SIGTERM stops both and exits 0', async () => {
    const metricsPort = await freePort();
    const url = new URL(PG_URL);
    url.searchParams.set('options', `-c search_path=${schema.schema}`);
    const s = await startServe({ args: ['--workers', '2'], env: { DATABASE_URL: url.toString(), GATEHOUSE_METRICS_PORT: String(metricsPort), GATEHOUSE_BASE_URL: 'http://accounts.example.com' } });
    for (let i = 0; i < 100 && new Set(logLines(s.output()).filter((l) => String(l.msg).startsWith('Server listening')).map((l) => l.pid)).size < 2; i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    const pids = new Set(logLines(s.output()).filter((l) => String(l.msg).startsWith('Server listening')).map((l) => l.pid));
    assert.equal(pids.size, 2, s.output());
    assert.match(s.output(), /password: \S+/, 'the primary created the first administrator once');
    const password = /password: (\S+)/.exec(s.output())![1];

    // Sessions work whichever worker answers: 20 requests with one session, over fresh connections.
    const login = await call(`${s.url}/rest/user/login`, { method: 'POST', json: { username: 'admin', password } });
    assert.equal(login.status, 200, login.text);
    const cookie = cookieOf(login.json);
    for (let i = 0; i < 20; i++) {
      const token = await call(`${s.url}/services/session/token`, { headers: { cookie, connection: 'close' } });
      assert.equal(token.text, login.json.token);
    }
    const metrics = await call(`http://127.0.0.1:${metricsPort}/metrics`);
    assert.equal(metrics.status, 200, metrics.text);
    const count = /gatehouse_http_request_duration_seconds_count\{method="GET",route="\/services\/session\/token",status="200"\} (\d+)/.exec(metrics.text);
    assert.equal(Number(count?.[1]), 20, 'the token requests of both workers, summed');

    s.child.kill('SIGTERM');
    assert.equal(await s.exited, 0, s.output());
    const stopped = logLines(s.output()).filter((l) => l.msg === 'stopped').map((l) => l.pid);
    assert.deepEqual(new Set(stopped), pids, 'each worker shut down gracefully');
    await assert.rejects(fetch(`${s.url}/healthz`));
  });
});
