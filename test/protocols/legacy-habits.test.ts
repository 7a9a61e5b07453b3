import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { call } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { logIn, raw } from './wire.js';

const HTML = 'text/html; charset=UTF-8';

/** Routing as Services does it: what old clients hit by mistake, and what the real site answers. */
describe('legacy habits: routing', () => {
  let s: TestServer;
  before(async () => { s = await startTestServer({ preset: 'peer' }); });
  after(async () => { await s.close(); });

  test('actions answer POST only: GET user/login and user/logout fall into retrieve', async () => {
    for (const action of ['login', 'logout', 'token']) {
      const r = await raw(s, 'GET', `/rest/user/${action}`, [['Accept', 'application/json']]);
      assert.equal(r.status, 404);
      assert.equal(r.reason, `Not found : There is no user with ID ${action}.`);
      assert.equal(r.body, `["There is no user with ID ${action}."]`);
    }
    const connect = await raw(s, 'GET', '/rest/system/connect');
    assert.equal(connect.status, 404);
    assert.equal(connect.reason, 'Not found : Could not find the controller.');
    const put = await raw(s, 'PUT', '/rest/system/connect', [['Content-Type', 'application/json']], '{}');
    assert.equal(put.reason, 'Not found : Could not find the controller.');
  });

  test('an unknown resource: 404 "Could not find resource X." with an empty text/html body, suffix or not', async () => {
    for (const path of ['/rest/nosuch/1', '/rest/nosuch.json', '/rest/nosuch', '/?q=rest/nosuch/1.xml']) {
      const r = await raw(s, 'GET', path, [['Accept', 'application/json']]);
      assert.equal(r.status, 404, path);
      assert.equal(r.reason, 'Not found : Could not find resource nosuch.', path);
      assert.equal(r.header('content-type'), HTML);
      assert.equal(r.body, '');
      assert.equal(r.header('vary'), null);
    }
  });

  test('no controller: 404 "Could not find the controller." with an empty body (trailing slash, GET on an action-only resource)', async () => {
    for (const [method, path] of [['GET', '/rest/system'], ['GET', '/rest/user/'], ['DELETE', '/rest/user'], ['POST', '/rest/user/nosuchaction']]) {
      const r = await raw(s, method, path, [['Content-Type', 'application/json']], method === 'POST' ? '{}' : null);
      assert.equal(r.status, 404, `${method} ${path}`);
      assert.equal(r.reason, 'Not found : Could not find the controller.');
      assert.equal(r.header('content-type'), HTML);
      assert.equal(r.body, '');
    }
  });

  test('the endpoint root answers the setup text, in every URL form', async () => {
    for (const [path, name] of [['/rest', 'rest'], ['/rest/', 'rest'], ['/?q=rest', 'rest'], ['/index.php?q=restdefault', 'restdefault']]) {
      const r = await raw(s, 'GET', path);
      assert.equal(r.status, 200, path);
      assert.equal(r.header('content-type'), HTML);
      assert.equal(r.body, `Services Endpoint "${name}" has been setup successfully.`);
      assert.equal(r.header('expires'), 'Sun, 19 Nov 1978 05:00:00 GMT');
    }
  });

  test('HEAD stops after the resource lookup with "HTTP/1.1 200 OK" (the recorded bytes); OPTIONS answers 200 with headers only', async () => {
    const head = await raw(s, 'HEAD', '/rest/user/1');
    assert.equal(head.statusLine, 'HTTP/1.1 200 OK');
    assert.equal(head.body, '');
    const headMissing = await raw(s, 'HEAD', '/rest/nosuch/1');
    assert.equal(headMissing.status, 404);
    for (const path of ['/rest/user/login', '/rest/user/1.json', '/rest/system/connect']) {
      const options = await raw(s, 'OPTIONS', path);
      assert.equal(options.status, 200, path);
      assert.equal(options.body, '');
      assert.equal(options.header('allow'), null);
      assert.equal(options.header('access-control-allow-origin'), null);
    }
  });

  test('PATCH (and PATCH by override) is 404, never 405', async () => {
    const patch = await raw(s, 'PATCH', '/rest/user/1', [['Content-Type', 'application/json']], '{}');
    assert.equal(patch.status, 404);
    assert.equal(patch.reason, 'Not found : Could not find the controller.');
    const overridden = await raw(s, 'POST', '/rest/user/1', [['X-HTTP-Method-Override', 'PATCH'], ['Content-Type', 'application/json']], '{}');
    assert.equal(overridden.status, 404);
    assert.equal(overridden.reason, 'Not found : Could not find the controller.');
  });

  test('method override: header and _method (which wins) on POST only; CSRF looks at the real method', async () => {
    const alice = await logIn(s, 'alice', 'alicepass');
    const json = { 'Content-Type': 'application/json', cookie: alice.cookie };
    // POST + override PUT, with the token: an update.
    const put = await call(`${s.url}/rest/user/2`, { method: 'POST', headers: { ...json, 'X-HTTP-Method-Override': 'PUT', 'X-CSRF-Token': alice.token }, body: '{"timezone":"Europe/Paris"}' });
    assert.equal(put.status, 200);
    assert.equal(put.json.timezone, 'Europe/Paris');
    // _method wins over the header.
    const get = await call(`${s.url}/rest/user/2?_method=GET`, { method: 'POST', headers: { ...json, 'X-HTTP-Method-Override': 'DELETE', 'X-CSRF-Token': alice.token }, body: '{}' });
    assert.equal(get.status, 200);
    assert.equal(get.json.name, 'alice');
    // The overridden method is GET, but the real one is POST: a logged-in caller needs the token.
    const noToken = await call(`${s.url}/rest/user/2?_method=GET`, { method: 'POST', headers: json, body: '{}' });
    assert.equal(noToken.status, 401);
    assert.equal(noToken.reason, 'Unauthorized : CSRF validation failed');
    const headerNoToken = await call(`${s.url}/rest/user/2`, { method: 'POST', headers: { ...json, 'X-HTTP-Method-Override': 'GET' }, body: '{}' });
    assert.equal(headerNoToken.reason, 'Unauthorized : CSRF validation failed');
    // A real GET ignores both: retrieve, no token needed.
    const realGet = await call(`${s.url}/rest/user/2?_method=DELETE`, { headers: { cookie: alice.cookie, 'X-HTTP-Method-Override': 'DELETE' } });
    assert.equal(realGet.status, 200);
    assert.equal(realGet.json.uid, '2');
  });

  test('the ?q= form of every URL: login, token, connect, index with parameters[…], on / and /index.php', async () => {
    const login = await call(`${s.url}/?q=rest/user/login.json`, { method: 'POST', json: { username: 'bob', password: 'bobpass' } });
    assert.equal(login.status, 200);
    assert.equal(login.headers.get('content-type'), 'application/json');
    const cookie = `${login.json.session_name}=${login.json.sessid}`;
    const token = await raw(s, 'GET', '/?q=services/session/token', [['Cookie', cookie]]);
    assert.equal(token.header('content-type'), 'text/plain;charset=UTF-8');
    assert.equal(token.body, login.json.token);
    const connect = await call(`${s.url}/index.php?q=rest/system/connect.json`, { method: 'POST', headers: { cookie, 'X-CSRF-Token': token.body }, json: {} });
    assert.equal(connect.status, 200);
    assert.equal(connect.json.user.name, 'bob');
    const xml = await raw(s, 'GET', '/?q=rest/user/3.xml', [['Cookie', cookie]]);
    assert.equal(xml.header('content-type'), 'application/xml');
    assert.match(xml.body, /^<\?xml version="1.0" encoding="utf-8"\?>\n<result><uid>3<\/uid><name>bob<\/name>/);

    // `q` is one more query parameter: it must not disturb parameters[…] (index as the admin).
    const admin = await logIn(s, 'admin', 'admin');
    const clean = await call(`${s.url}/rest/user.json?parameters[name]=bob&fields=uid,name`, { headers: { cookie: admin.cookie } });
    const viaQ = await call(`${s.url}/?q=rest/user.json&parameters[name]=bob&fields=uid,name`, { headers: { cookie: admin.cookie } });
    assert.equal(clean.status, 200);
    assert.deepEqual(clean.json, [{ uid: '3', name: 'bob', uri: `${s.url}/rest/user/3` }]);
    assert.deepEqual(viaQ.json, clean.json);
    const firstQ = await call(`${s.url}/?parameters[name]=alice&q=rest/user&fields=name`, { headers: { cookie: admin.cookie } });
    assert.deepEqual(firstQ.json.map((u: { name: string }) => u.name), ['alice']);
    // A q that names no endpoint is the front page.
    const front = await raw(s, 'GET', '/?q=node/1');
    assert.equal(front.status, 200);
    assert.equal(front.header('content-type'), HTML);
  });
});
