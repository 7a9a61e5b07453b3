import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { call } from '../helpers/http.js';
import type { TestServer } from '../helpers/test-server.js';
import { type LegacySite, loadLegacySite } from './legacy-site.js';
import { type StandIn, startStandInOrigin } from './stand-in-origin.js';
import { startStrangler } from './strangler-server.js';

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('strangler mode: forwarding what Gatehouse does not serve', () => {
  let legacy: LegacySite;
  let origin: StandIn;
  let gate: TestServer;

  before(async () => {
    legacy = await loadLegacySite('fwd');
    origin = await startStandInOrigin(legacy.db, { slowMs: 1500 });
    gate = await startStrangler({ origin: origin.url, timeoutMs: 500 }, { bodyLimit: 64 * 1024 });
  });
  after(async () => {
    await gate?.close();
    await origin?.close();
    await legacy?.drop();
  });

  it('passes the status line (reason phrase included), every Set-Cookie and other headers back', async () => {
    const res = await call(`${gate.url}/teapot`);
    assert.equal(res.status, 418);
    assert.equal(res.reason, "I'm a legacy teapot");
    assert.deepEqual(res.setCookies, ['a=1; path=/', 'b=2; path=/']);
    assert.equal(res.headers.get('x-legacy'), 'yes');
    assert.equal(res.text, 'short and stout');
  });

  it('forwards undeclared resources and undeclared operations of served resources, with method, path, query and body', async () => {
    const resource = await call(`${gate.url}/api/comment?parameters[nid]=1`, { method: 'PUT', json: { a: 1 } });
    assert.deepEqual([resource.status, resource.json.method, resource.json.path, resource.json.body], [200, 'PUT', '/api/comment?parameters[nid]=1', '{"a":1}']);
    const action = await call(`${gate.url}/api/user/1/custom_action`, { method: 'POST', json: { b: 2 } });
    assert.deepEqual([action.status, action.json.path, action.json.body], [200, '/api/user/1/custom_action', '{"b":2}']);
    const front = await call(`${gate.url}/`);
    assert.equal(front.json.path, '/');
    assert.equal(front.json.host, `127.0.0.1:${gate.port}`, 'the Host header is kept so Drupal derives the same cookie name');
    assert.equal(front.json.forwardedFor, '127.0.0.1');
  });

  it('keeps what Gatehouse serves: its resources, the session token, health checks', async () => {
    const connect = await call(`${gate.url}/api/system/connect`, { method: 'POST' });
    assert.equal(connect.status, 200);
    assert.ok(connect.json.user, 'answered by Gatehouse, not echoed by the origin');
    assert.equal((await call(`${gate.url}/healthz`)).json.status, 'ok');
  });

  it('streams a request body larger than Gatehouse\'s own body limit to the legacy site', async () => {
    const size = 3 * 1024 * 1024;
    const res = await call(`${gate.url}/upload`, { method: 'POST', body: Buffer.alloc(size, 7), headers: { 'content-type': 'application/octet-stream' } });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.reason, 'Stored');
    assert.equal(res.json.bytes, size);
  });

  it('answers 504 when the legacy site is too slow', async () => {
    const res = await call(`${gate.url}/slow`);
    assert.equal(res.status, 504);
    assert.match(res.reason, /^Gateway Timeout/);
    assert.deepEqual(res.json, ['The legacy site did not answer in time.']);
  });

  it('answers 502 when the legacy site cannot be reached', async () => {
    const down = await startStrangler({ origin: `http://127.0.0.1:${await closedPort()}` });
    try {
      const res = await call(`${down.url}/node/1`);
      assert.equal(res.status, 502);
      assert.match(res.reason, /^Bad Gateway/);
      assert.deepEqual(res.json, ['The legacy site could not be reached.']);
    } finally {
      await down.close();
    }
  });

  it('forwards nothing with forward = "none"', async () => {
    const off = await startStrangler({ origin: origin.url, forward: 'none' });
    try {
      assert.equal((await call(`${off.url}/node/1`)).status, 404);
      const api = await call(`${off.url}/api/comment`);
      assert.equal(api.status, 404);
      assert.match(api.reason, /Could not find resource comment/);
    } finally {
      await off.close();
    }
  });
});
