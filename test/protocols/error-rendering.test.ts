import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { logIn, raw } from './wire.js';

const XML_HEAD = '<?xml version="1.0" encoding="utf-8"?>\n';
const JSON_TYPE: [string, string] = ['Content-Type', 'application/json'];

/** Every error class Services raises after its formatter exists is rendered in the negotiated format. */
describe('errors in the negotiated format', () => {
  let s: TestServer;
  before(async () => { s = await startTestServer({ preset: 'peer', config: { bodyLimit: 4096 } }); });
  after(async () => { await s.close(); });

  test('one message, every format: suffix and Accept', async () => {
    const cases: Array<[string, Array<[string, string]>, string, string]> = [
      ['/rest/user/login.xml', [], 'application/xml', `${XML_HEAD}<result>Missing required argument password</result>\n`],
      ['/rest/user/login', [['Accept', 'text/xml']], 'text/xml;charset=UTF-8', `${XML_HEAD}<result>Missing required argument password</result>\n`],
      ['/rest/user/login.json', [], 'application/json', '["Missing required argument password"]'],
      ['/rest/user/login.jsonp?callback=my.cb(1)', [], 'text/javascript;charset=UTF-8', 'my.cb1(["Missing required argument password"]);'],
      ['/rest/user/login.php', [], 'application/vnd.php.serialized', 's:34:"Missing required argument password";'],
      ['/rest/user/login.bencode', [], 'application/x-bencode', '34:Missing required argument password'],
    ];
    for (const [path, headers, type, body] of cases) {
      const r = await raw(s, 'POST', path, [JSON_TYPE, ...headers], '{"username":"alice"}');
      assert.equal(r.status, 401, path);
      assert.equal(r.reason, 'Unauthorized : Missing required argument password', path);
      assert.equal(r.header('content-type'), type, path);
      assert.equal(r.body, body, path);
    }
  });

  test('each error class in XML: parse errors, arguments, CSRF, access, not found, form errors, state errors', async () => {
    const alice = await logIn(s, 'alice', 'alicepass');
    const cases: Array<[string, string, Array<[string, string]>, string | null, number, string, string]> = [
      ['POST', '/rest/user/login.xml', [JSON_TYPE], '{"username":', 400, ': Invalid JSON.', '<result>Invalid JSON.</result>'],
      ['POST', '/rest/user/login.xml', [['Content-Type', 'text/plain']], 'x', 406, 'Not Acceptable : Unsupported request content type text/plain', '<result>Unsupported request content type text/plain</result>'],
      ['POST', '/rest/user/login.xml', [['Content-Type', 'application/xml']], '<data><username>', 406, '', '<result>Line '],
      ['PUT', '/rest/user/2.xml', [JSON_TYPE, ['Cookie', alice.cookie]], '{}', 401, 'Unauthorized : CSRF validation failed', '<result>CSRF validation failed</result>'],
      ['GET', '/rest/user/3.xml', [], null, 403, ': Access denied for user anonymous', '<result>Access denied for user anonymous</result>'],
      ['GET', '/rest/user/99.xml', [['Cookie', alice.cookie]], null, 404, 'Not found : There is no user with ID 99.', '<result>There is no user with ID 99.</result>'],
      ['POST', '/rest/user/logout.xml', [JSON_TYPE], '{}', 406, 'Not Acceptable : User is not logged in.', '<result>User is not logged in.</result>'],
      ['POST', '/rest/user/register.xml', [JSON_TYPE], '{"name":"alice","mail":"other@example.com","pass":"x"}', 406, 'Not Acceptable : The name alice is already taken.',
        '<result><form_errors><name>The name &lt;em class="placeholder"&gt;alice&lt;/em&gt; is already taken.</name></form_errors></result>'],
    ];
    for (const [method, path, headers, body, status, reason, xml] of cases) {
      const r = await raw(s, method, path, headers, body);
      assert.equal(r.status, status, `${method} ${path}`);
      if (reason) assert.equal(r.reason, reason, `${method} ${path}`);
      assert.equal(r.header('content-type'), 'application/xml', `${method} ${path}`);
      assert.ok(r.body.startsWith(`${XML_HEAD}${xml}`), `${method} ${path}: ${r.body}`);
    }
  });

  test('errors raised before the formatter exists have an empty text/html body in any format', async () => {
    const cases: Array<[string, string, string]> = [
      ['/rest/nosuch.xml', 'Not found : Could not find resource nosuch.', ''],
      ['/rest/system.xml', 'Not found : Could not find the controller.', ''],
      ['/rest/user/1.csv', 'Not Acceptable : Unknown or unsupported response format.', ''],
    ];
    for (const [path, reason] of cases) {
      const r = await raw(s, 'GET', path);
      assert.equal(r.reason, reason, path);
      assert.equal(r.header('content-type'), 'text/html; charset=UTF-8');
      assert.equal(r.body, '');
    }
    const accept = await raw(s, 'GET', '/rest/user/1', [['Accept', 'text/csv']]);
    assert.equal(accept.status, 406);
    assert.equal(accept.header('vary'), 'Accept');
    const malformed = await raw(s, 'GET', '/rest/user/1', [['Accept', 'json']]);
    assert.equal(malformed.status, 500);
    assert.equal(malformed.reason, 'Internal Server Error : An error occurred.');
    assert.equal(malformed.body, '');
  });

  test('a body over bodyLimit: 413 with the message on the status line and in the negotiated format', async () => {
    const big = JSON.stringify({ username: 'x'.repeat(5000), password: 'y' });
    const json = await raw(s, 'POST', '/rest/user/login.json', [JSON_TYPE], big);
    assert.equal(json.status, 413);
    assert.equal(json.reason, ': Request body is too large.');
    assert.equal(json.header('content-type'), 'application/json');
    assert.equal(json.header('cache-control'), 'no-cache, must-revalidate');
    assert.equal(json.body, '["Request body is too large."]');
    const xml = await raw(s, 'POST', '/rest/user/login', [JSON_TYPE, ['Accept', 'application/xml']], big);
    assert.equal(xml.status, 413);
    assert.equal(xml.header('vary'), 'Accept');
    assert.equal(xml.body, `${XML_HEAD}<result>Request body is too large.</result>\n`);
    // Chunked, so no Content-Length announces it: cut off while streaming.
    const chunk = big.length.toString(16);
    const chunked = await raw(s, 'POST', '/?q=rest/user/login.xml', [JSON_TYPE, ['Transfer-Encoding', 'chunked']], `${chunk}\r\n${big}\r\n0\r\n\r\n`);
    assert.equal(chunked.status, 413);
    assert.equal(chunked.body, `${XML_HEAD}<result>Request body is too large.</result>\n`);
    const token = await raw(s, 'POST', '/services/session/token', [JSON_TYPE], big);
    assert.equal(token.status, 413);
    assert.equal(token.reason, ': Request body is too large.');
    // A body just under the limit is read as usual.
    const fits = await raw(s, 'POST', '/rest/user/login.json', [JSON_TYPE], JSON.stringify({ username: 'x'.repeat(3000), password: 'y' }));
    assert.equal(fits.status, 401);
  });

  test('a broken request body (bad Content-Length) is a 400 rendered like the rest, not a 500', async () => {
    const r = await raw(s, 'POST', '/rest/user/login.json', [JSON_TYPE, ['Content-Length', '5'], ['Content-Length', '6']], '{}');
    assert.ok(r.status >= 400 && r.status < 500, String(r.status));
  });
});
