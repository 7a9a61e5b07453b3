import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { call } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

/** The value of one Prometheus sample line (`name{labels} value`), or undefined. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const m = /^([a-z_]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[3]);
  }
  return undefined;
}

describe('operations endpoints', () => {
  let s: TestServer;
  before(async () => { s = await startTestServer({ settings: { user_failed_login_ip_limit: 2, user_failed_login_user_limit: 50 } }); });
  after(async () => { await s.close(); });

  test('/healthz answers while the process runs; /readyz while the database answers', async () => {
    const health = await call(`${s.url}/healthz`);
    assert.equal(health.status, 200);
    assert.deepEqual(health.json, { status: 'ok' });
    const ready = await call(`${s.url}/readyz`);
    assert.equal(ready.status, 200);
    assert.deepEqual(ready.json, { status: 'ready' });
  });

  test('every answer carries its request id: the one the proxy sent, else a fresh one', async () => {
    const given = await call(`${s.url}/healthz`, { headers: { 'X-Request-Id': 'edge-42' } });
    assert.equal(given.headers.get('x-request-id'), 'edge-42');
    const one = (await call(`${s.url}/rest/system/connect`, { method: 'POST', json: {} })).headers.get('x-request-id');
    const two = (await call(`${s.url}/rest/system/connect`, { method: 'POST', json: {} })).headers.get('x-request-id');
    assert.match(one ?? '', /^[0-9a-f-]{36}$/);
    assert.notEqual(one, two);
  });

  test('Prometheus metrics: requests by route and status with latency, logins, flood blocks, sessions, outbox', async () => {
    const before = await call(`${s.url}/metrics`);
    assert.equal(before.status, 200);
    assert.match(before.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    const base = (name: string, labels?: Record<string, string>) => sample(before.text, name, labels) ?? 0;

    await call(`${s.url}/rest/user/login`, { method: 'POST', json: { username: 'alice', password: 'alicepass' } });
    await call(`${s.url}/rest/user/login`, { method: 'POST', json: { username: 'bob', password: 'nope' } });
    await call(`${s.url}/rest/user/login`, { method: 'POST', json: { username: 'bob', password: 'nope' } });
    const flooded = await call(`${s.url}/rest/user/login.json`, { method: 'POST', json: { username: 'bob', password: 'bobpass' } });
    assert.match(flooded.reason, /temporarily blocked/);
    await call(`${s.url}/rest/user/register`, { method: 'POST', json: { name: 'metered', mail: 'metered@example.com', pass: 'pw' } });
    await call(`${s.url}/rest/user/2.json`);

    const m = (await call(`${s.url}/metrics`)).text;
    assert.equal(sample(m, 'gatehouse_logins_total', { outcome: 'ok' }), base('gatehouse_logins_total', { outcome: 'ok' }) + 1);
    assert.equal(sample(m, 'gatehouse_logins_total', { outcome: 'failed' }), base('gatehouse_logins_total', { outcome: 'failed' }) + 2);
    assert.equal(sample(m, 'gatehouse_logins_total', { outcome: 'flood_ip' }), base('gatehouse_logins_total', { outcome: 'flood_ip' }) + 1);
    assert.equal(sample(m, 'gatehouse_flood_blocks_total', { limit: 'ip' }), base('gatehouse_flood_blocks_total', { limit: 'ip' }) + 1);
    assert.equal(sample(m, 'gatehouse_sessions_created_total'), base('gatehouse_sessions_created_total') + 2, 'the login and the registration');
    assert.equal(sample(m, 'gatehouse_outbox_depth'), (await s.mails()).length, 'the welcome mail waits (no worker in tests)');
    assert.ok((sample(m, 'gatehouse_outbox_depth') ?? 0) >= 1);
    const login200 = { method: 'POST', route: '/rest/user/login', status: '200' };
    assert.equal(sample(m, 'gatehouse_http_request_duration_seconds_count', login200), base('gatehouse_http_request_duration_seconds_count', login200) + 1);
    assert.ok((sample(m, 'gatehouse_http_request_duration_seconds_bucket', { ...login200, le: '+Inf' }) ?? 0) >= 1);
    assert.ok((sample(m, 'gatehouse_http_request_duration_seconds_count', { method: 'POST', route: '/rest/user/login', status: '401' }) ?? 0) >= 2);
    const profile = await call(`${s.url}/rest/user/3.xml`);
    const after = (await call(`${s.url}/metrics`)).text;
    assert.equal(sample(after, 'gatehouse_http_request_duration_seconds_count', { method: 'GET', route: '/rest/user/:arg', status: String(profile.status) }), (sample(m, 'gatehouse_http_request_duration_seconds_count', { method: 'GET', route: '/rest/user/:arg', status: String(profile.status) }) ?? 0) + 1, 'ids and formats share one route label');
  });

  test('/readyz answers 503 once the database is gone, /healthz still 200', async () => {
    const other = await startTestServer({ preset: 'empty' });
    try {
      await other.server.database.close();
      const ready = await call(`${other.url}/readyz`);
      assert.equal(ready.status, 503);
      assert.deepEqual(ready.json, { status: 'database unreachable' });
      assert.equal((await call(`${other.url}/healthz`)).status, 200);
    } finally {
      await other.close();
    }
  });
});

describe('metrics path configuration', () => {
  test('GATEHOUSE_METRICS_PATH moves the metrics; off removes them', async () => {
    const moved = await startTestServer({ preset: 'empty', config: { metricsPath: '/internal/prom' } });
    const off = await startTestServer({ preset: 'empty', config: { metricsPath: null } });
    try {
      assert.equal((await call(`${moved.url}/internal/prom`)).status, 200);
      assert.equal((await call(`${moved.url}/metrics`)).status, 404);
      assert.equal((await call(`${off.url}/metrics`)).status, 404);
    } finally {
      await moved.close();
      await off.close();
    }
  });
});
