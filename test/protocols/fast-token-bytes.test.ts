/**
 * `/services/session/token` is answered in front of the framework when nothing about the request needs it
 * (src/protocols/services3/fast-session-token.ts). That shortcut must be the routed answer reached earlier:
 * each request below is sent once as the fast path takes it and once framed with `Transfer-Encoding:
 * chunked` and an empty body, which the fast path leaves to the routed handler. The status line, every header
 * (name, value and count; not their order) and the body must be the same: only `Date` and a generated
 * request id differ, and a visitor without a cookie gets a throw-away token of the same form.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { call } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { logIn, raw, type Raw } from './wire.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** The headers a client compares: lower-case names, sorted; the date and a generated request id set aside. */
function comparable(r: Raw, sentId: string | null): string[] {
  const id = r.header('x-request-id');
  if (sentId === null) assert.match(String(id), UUID, 'a request id is generated');
  else assert.equal(id, sentId, 'the request id sent is echoed');
  return r.headers
    .filter(([k]) => !/^(date|x-request-id)$/i.test(k))
    .map(([k, v]) => `${k.toLowerCase()}: ${v}`)
    .sort();
}

describe('the fast session-token path answers the bytes the routed one does', () => {
  let s: TestServer;
  let live = '';
  let dead = '';
  before(async () => {
    s = await startTestServer();
    const alice = await logIn(s, 'alice', 'alicepass');
    live = alice.cookie;
    const bob = await logIn(s, 'bob', 'bobpass');
    await call(`${s.url}/rest/user/logout`, { method: 'POST', headers: { cookie: bob.cookie, 'x-csrf-token': bob.token } });
    dead = bob.cookie;
  });
  after(async () => { await s.close(); });

  const cases: Array<{ label: string; method: string; headers: () => Array<[string, string]>; randomToken?: boolean }> = [
    { label: 'a visitor without a cookie', method: 'GET', headers: () => [], randomToken: true },
    { label: 'a live session', method: 'GET', headers: () => [['Cookie', live]] },
    { label: 'a session that is gone (its cookie is deleted)', method: 'GET', headers: () => [['Cookie', dead]] },
    { label: 'a request id sent by a proxy', method: 'GET', headers: () => [['Cookie', live], ['X-Request-Id', 'trace-42']] },
    { label: 'any method (the menu callback does not check it)', method: 'POST', headers: () => [['Cookie', live]] },
    { label: 'HEAD', method: 'HEAD', headers: () => [['Cookie', live]] },
  ];
  for (const c of cases) {
    test(c.label, async () => {
      const sentId = c.headers().find(([k]) => k === 'X-Request-Id')?.[1] ?? null;
      const fast = await raw(s, c.method, '/services/session/token', c.headers(), c.method === 'POST' ? '' : null);
      const routed = await raw(s, c.method, '/services/session/token', [...c.headers(), ['Transfer-Encoding', 'chunked']], '0\r\n\r\n');
      assert.equal(fast.statusLine, routed.statusLine);
      if (c.randomToken) {
        assert.match(fast.body, TOKEN);
        assert.match(routed.body, TOKEN);
        const withoutLength = (h: string[]) => h.filter((x) => !x.startsWith('content-length: '));
        assert.deepEqual(withoutLength(comparable(fast, sentId)), withoutLength(comparable(routed, sentId)));
        assert.equal(fast.header('content-length'), String(Buffer.byteLength(fast.body)));
      } else {
        assert.deepEqual(comparable(fast, sentId), comparable(routed, sentId));
        assert.equal(fast.body, routed.body);
      }
    });
  }

  test('the fast path counts each answer under its own method in /metrics', async () => {
    await raw(s, 'PUT', '/services/session/token', [['Cookie', live]], '');
    const metrics = await call(`${s.url}/metrics`);
    assert.match(metrics.text, /gatehouse_http_request_duration_seconds_count\{method="PUT",route="\/services\/session\/token",status="200"\} [1-9]/);
  });
});
