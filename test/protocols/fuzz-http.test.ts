import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { bestMatch, MalformedMimeTypeError } from '../../src/protocols/services3/formats/negotiate.js';
import { requestMimeType } from '../../src/protocols/services3/parsers/index.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { type LoggedIn, logIn } from './wire.js';

// GATEHOUSE_FUZZ_RUNS scales this with the parsers' properties (10,000 there → 3,000 requests here).
const UNIT_RUNS = Math.max(10_000, Number(process.env.GATEHOUSE_FUZZ_RUNS) || 0);
const RUNS = Math.round(UNIT_RUNS * 0.3);
const HANG_MS = 10_000;

interface FuzzRequest { method: string; path: string; headers: Record<string, string>; body: Buffer | null }

/** Printable ASCII only: what an HTTP client can put in a header value. */
const headerText = (maxLength: number) => fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength });
const anyText = fc.string({ unit: 'binary', maxLength: 40 });

const RESOURCE_PATHS = [
  '', 'user', 'user/', 'user/login', 'user/logout', 'user/register', 'user/token', 'user/request_new_password', 'user/user_pass_reset',
  'user/1', 'user/2', 'user/3', 'user/99', 'user/2/cancel', 'user/3/password_reset', 'user/2/resend_welcome_email', 'user/2/x/y',
  'system', 'system/connect', 'system/get_variable', 'system/set_variable', 'system/del_variable', 'nosuch', 'nosuch/1',
];
const SUFFIXES = ['', '', '', '.json', '.xml', '.jsonp', '.php', '.bencode', '.csv', '.', '.JSON', '.json.xml'];
const QUERY_KEYS = ['_method', 'callback', 'parameters[name]', 'parameters[uid]', 'parameters', 'fields', 'page', 'pagesize', 'q', 'services_token', 'a[b][]', 'pass-reset-token'];
const CONTENT_TYPES = [
  undefined, 'application/json', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=XyZ', 'multipart/form-data', 'application/xml',
  'text/xml', 'text/plain', 'Application/JSON', 'application/json; charset=utf-8', '', ';', 'a/b/c', '*/*', 'application/vnd.php.serialized',
];
const ACCEPTS = [undefined, '', '*/*', 'application/json', 'text/xml', 'application/xml;q=0.9,*/*;q=0.8', 'json', 'text/csv', 'application/json;q=0', '*', 'text/javascript', 'application/x-bencode'];
const METHODS = ['GET', 'POST', 'POST', 'PUT', 'DELETE', 'HEAD', 'OPTIONS', 'PATCH'];

const segment = fc.oneof(fc.constantFrom(...RESOURCE_PATHS), anyText.map((t) => `user/${encodeURIComponent(t)}`), anyText.map(encodeURIComponent));
const query = fc.array(fc.tuple(fc.oneof(fc.constantFrom(...QUERY_KEYS), anyText), fc.oneof(fc.constantFrom('PUT', 'GET', 'DELETE', 'cb', 'bob', '1', ''), anyText)), { maxLength: 4 })
  .map((pairs) => pairs.map(([k, v]) => `${encodeURIComponent(k).replace(/%5B/g, '[').replace(/%5D/g, ']')}=${encodeURIComponent(v)}`).join('&'));
const path = fc.record({ form: fc.constantFrom('clean', 'q', 'index', 'token'), endpoint: fc.constantFrom('rest', 'restdefault'), seg: segment, suffix: fc.constantFrom(...SUFFIXES), query })
  .map(({ form, endpoint, seg, suffix, query: q }) => {
    const inner = `${endpoint}/${seg}${suffix}`;
    if (form === 'token') return `/services/session/token${q ? `?${q}` : ''}`;
    if (form === 'clean') return `/${inner}${q ? `?${q}` : ''}`;
    return `/${form === 'index' ? 'index.php' : ''}?q=${inner}${q ? `&${q}` : ''}`;
  });

const xmlTree: fc.Arbitrary<string> = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small' }, anyText.map((t) => t.replace(/[<&]/g, '')), fc.tuple(fc.constantFrom('name', 'pass', 'username', 'password', 'mail', 'item', 'data'), fc.array(tie('node'), { maxLength: 3 }), fc.boolean())
    .map(([tag, kids, isArray]) => `<${tag}${isArray ? ' is_array="true"' : ''}>${kids.join('')}</${tag}>`)),
})).node as fc.Arbitrary<string>;
const formBody = fc.array(fc.tuple(fc.oneof(fc.constantFrom('username', 'password', 'name', 'pass', 'mail', 'account[name]', 'pass[pass1]', 'a[][b]', 'services_token'), anyText), anyText), { maxLength: 5 })
  .map((pairs) => pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&'));
const multipartBody = fc.array(fc.tuple(fc.constantFrom('username', 'password', 'name', 'x[y]'), anyText), { maxLength: 3 })
  .map((parts) => `${parts.map(([k, v]) => `--XyZ\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`).join('')}--XyZ--\r\n`);
const body = fc.oneof(
  fc.constant(null), fc.constant(''), fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v) ?? 'null'),
  fc.constantFrom('{"username":"alice","password":"alicepass"}', '{"name":"x","mail":"x@example.com","pass":"p"}', '{"dummy": null}', '""', 'null', '{', '[]'),
  anyText, formBody, multipartBody, xmlTree.map((x) => `<?xml version="1.0"?><data>${x}</data>`), fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b).toString('latin1')),
);

function requestArb(sessions: { alice: LoggedIn; admin: LoggedIn }): fc.Arbitrary<FuzzRequest> {
  const who = fc.constantFrom(null, sessions.alice, sessions.admin);
  return fc.record({
    method: fc.constantFrom(...METHODS), path, body, who, contentType: fc.oneof(fc.constantFrom(...CONTENT_TYPES), headerText(30)),
    accept: fc.oneof(fc.constantFrom(...ACCEPTS), headerText(30)), cookieKind: fc.constantFrom('session', 'none', 'stale', 'junk'), junk: headerText(40),
    tokenKind: fc.constantFrom('valid', 'none', 'null', 'junk'), override: fc.oneof(fc.constantFrom(undefined, 'PUT', 'GET', 'DELETE', 'PATCH'), headerText(8)),
    version: fc.constantFrom(undefined, '1.0', '1.1', '2', 'x'), origin: fc.constantFrom(undefined, 'https://app.example.com', 'null'),
  }).map((r) => {
    const headers: Record<string, string> = {};
    if (r.contentType !== undefined) headers['content-type'] = r.contentType;
    if (r.accept !== undefined) headers.accept = r.accept;
    const sessionName = sessions.alice.sessionName;
    if (r.cookieKind === 'session' && r.who) headers.cookie = r.who.cookie;
    if (r.cookieKind === 'stale') headers.cookie = `${sessionName}=${encodeURIComponent(r.junk)}`;
    if (r.cookieKind === 'junk') headers.cookie = r.junk;
    if (r.tokenKind === 'valid' && r.who) headers['x-csrf-token'] = r.who.token;
    if (r.tokenKind === 'null') headers['x-csrf-token'] = 'null';
    if (r.tokenKind === 'junk') headers['x-csrf-token'] = r.junk;
    if (r.override !== undefined) headers['x-http-method-override'] = r.override;
    if (r.version !== undefined) { headers['services-user-login-version'] = r.version; headers['services-user-logout-version'] = r.version; }
    if (r.origin !== undefined) headers.origin = r.origin;
    // A HEAD answer has no body, so bytes sent after a HEAD request would only confuse the client's parser.
    const sendBody = r.body !== null && r.method !== 'HEAD';
    return { method: r.method, path: r.path, headers, body: sendBody ? Buffer.from(r.body as string, 'utf8') : null };
  });
}

function send(agent: http.Agent, port: number, r: FuzzRequest): Promise<{ status: number; reason: string; hung: boolean }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method: r.method, path: r.path, headers: r.headers, agent }, (res) => {
      res.resume();
      res.on('end', () => { clearTimeout(timer); resolve({ status: res.statusCode ?? 0, reason: res.statusMessage ?? '', hung: false }); });
    });
    const timer = setTimeout(() => { req.destroy(); resolve({ status: 0, reason: '', hung: true }); }, HANG_MS);
    req.on('error', (e) => { clearTimeout(timer); reject(e); });
    req.end(r.body ?? undefined);
  });
}

describe('HTTP fuzz: generated requests against a live server', () => {
  let s: TestServer;
  let agent: http.Agent;
  before(async () => {
    s = await startTestServer({ preset: 'peer', config: { cors: { origins: ['https://app.example.com'], credentials: true }, bodyLimit: 65_536 } });
    agent = new http.Agent({ keepAlive: false });
  });
  after(async () => { agent.destroy(); await s.close(); });

  test(`${RUNS} random requests: no answer ≥ 500, no hang`, { timeout: 60_000 + RUNS * 40 }, async () => {
    const sessions = { alice: await logIn(s, 'alice', 'alicepass'), admin: await logIn(s, 'admin', 'admin') };
    const statuses = new Map<number, number>();
    await fc.assert(fc.asyncProperty(requestArb(sessions), async (r) => {
      const { status, reason, hung } = await send(agent, s.port, r);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      assert.ok(!hung, `hung: ${r.method} ${r.path}`);
      // Malformed Accept/Content-Type values are the one 500 the real site answers by design; nothing else may be.
      if (status >= 500) assert.ok(status === 500 && reason === 'Internal Server Error : An error occurred.' && designed500(r), `${status} ${reason} for ${r.method} ${r.path} ${JSON.stringify(r.headers)} ${r.body?.toString('latin1')}`);
    }), { numRuns: RUNS });
    assert.ok((statuses.get(200) ?? 0) > RUNS / 50, `too few successes: ${JSON.stringify([...statuses])}`);
    const health = await send(agent, s.port, { method: 'GET', path: '/rest', headers: {}, body: null });
    assert.equal(health.status, 200);
  });
});

/** A header value mimeparse cannot parse: PHP threw a plain Exception, so the real site answers 500 (services-rest.md §6). */
function mimeparseRejects(value: string): boolean {
  try { bestMatch(['application/json'], value); return false; } catch (e) { return e instanceof MalformedMimeTypeError; }
}

/** The one 500 that is by design: a malformed Accept (no suffix to win over it) or a malformed Content-Type. */
function designed500(r: FuzzRequest): boolean {
  const accept = r.headers.accept;
  const type = r.headers['content-type'];
  return (accept !== undefined && accept.trim() !== '' && mimeparseRejects(accept)) || (type !== undefined && mimeparseRejects(requestMimeType(type)));
}
