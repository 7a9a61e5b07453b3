/**
 * Bytes a migrating app meets:
 * - RESTServer::resolveController wants `!empty($path[0])` for retrieve, update, delete and targeted actions,
 *   and PHP's empty("0") is true: `user/0` finds no controller (404 "Could not find the controller.", empty
 *   text/html body), whatever the method;
 * - `/services/session/token` with a cookie whose session is gone answers the token of that id (what
 *   drupal_get_token gives an anonymous visitor) and deletes the cookie, as every request ending an empty
 *   anonymous session does; on the fast path and on the routed one (`?q=`) alike.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { auth, post } from './account-flows.js';
import { logIn, raw } from './wire.js';

const NO_CONTROLLER = 'HTTP/1.1 404 Not found : Could not find the controller.';

describe('wire details', () => {
  let s: TestServer;
  before(async () => { s = await startTestServer(); });
  after(async () => { await s.close(); });

  test('user/0 has no controller, for every method that needs an id', async () => {
    const admin = await logIn(s, 'admin', 'admin');
    const headers = Object.entries({ ...auth(admin), 'Content-Type': 'application/json', Accept: 'application/json' });
    for (const [method, path] of [['GET', '/rest/user/0'], ['GET', '/rest/user/0.json'], ['PUT', '/rest/user/0'], ['DELETE', '/rest/user/0'], ['POST', '/rest/user/0/cancel'], ['POST', '/rest/user/0/password_reset']]) {
      const r = await raw(s, method, path, headers, method === 'GET' || method === 'DELETE' ? null : '{}');
      assert.equal(r.statusLine, NO_CONTROLLER, `${method} ${path}`);
      assert.equal(r.header('content-type'), 'text/html; charset=UTF-8', `${method} ${path}`);
      assert.equal(r.body, '', `${method} ${path}`);
    }
    const zeroZero = await raw(s, 'GET', '/rest/user/00', headers);
    assert.equal(zeroZero.status, 404);
    assert.notEqual(zeroZero.statusLine, NO_CONTROLLER, '"00" is not empty in PHP');
  });

  for (const [label, path] of [['fast path', '/services/session/token'], ['routed (?q=)', '/?q=services/session/token']]) {
    test(`${label}: a dead session's cookie gets its token and is deleted; a live one is kept`, async () => {
      const alice = await logIn(s, 'alice', 'alicepass');
      const cookieName = alice.sessionName;
      const live = await raw(s, 'GET', path, [['Cookie', alice.cookie]]);
      assert.equal(live.body, alice.token);
      assert.deepEqual(live.setCookies, []);
      assert.equal((await post(s, alice, 'user/logout')).status, 200);
      for (const cookie of [alice.cookie, `${cookieName}=never-issued-session-id`]) {
        const dead = await raw(s, 'GET', path, [['Cookie', cookie]]);
        assert.equal(dead.statusLine, 'HTTP/1.1 200 OK');
        assert.equal(dead.header('content-type'), 'text/plain;charset=UTF-8');
        assert.match(dead.body, /^[A-Za-z0-9_-]{43}$/);
        if (cookie === alice.cookie) assert.equal(dead.body, alice.token, 'the token of the id the cookie carries');
        assert.deepEqual(dead.setCookies, [`${cookieName}=deleted; expires=Thu, 01 Jan 1970 00:00:01 GMT; Max-Age=0; path=/; HttpOnly`]);
      }
      const none = await raw(s, 'GET', path);
      assert.deepEqual(none.setCookies, [], 'no cookie, nothing to delete');
    });
  }
});
