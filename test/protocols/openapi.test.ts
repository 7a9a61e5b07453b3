// The OpenAPI 3.1 document at /gatehouse/openapi.json describes what the server really serves: every path and
// method it lists is routed (a request to it is answered by that operation, not "not found"), the Services
// operations are those the endpoint configures, the account API's answers match their declared schemas, and
// /gatehouse/api-docs shows the same operations to a person.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { call, cookieOf } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

type Operation = { parameters?: Array<{ name: string; in: string; required?: boolean; schema?: { pattern?: string; enum?: string[] } }>; responses: Record<string, { content?: Record<string, { schema?: object }> }> };
type Doc = { openapi: string; paths: Record<string, Record<string, Operation>>; components: { securitySchemes: Record<string, { name: string }> }; servers: Array<{ url: string }> };

describe('OpenAPI document', () => {
  let t: TestServer;
  let doc: Doc;
  before(async () => {
    t = await startTestServer();
    const r = await call(`${t.url}/gatehouse/openapi.json`);
    assert.equal(r.status, 200);
    doc = r.json;
  });
  after(() => t.close());

  const sample = (p: NonNullable<Operation['parameters']>[number]) => (p.schema?.enum?.[0] ?? (p.name === 'uid' ? '1' : p.name === 'id' ? 'AAAAAAAAAAAAAAAA' : '1'));
  const urlOf = (path: string, op: Operation) => {
    let url = path;
    const query = new URLSearchParams();
    for (const p of op.parameters ?? []) {
      if (p.in === 'path') url = url.replace(`{${p.name}}`, encodeURIComponent(sample(p)));
      else if (p.required) query.set(p.name, sample(p));
    }
    return `${t.url}${url}${query.size ? `?${query}` : ''}`;
  };

  it('is OpenAPI 3.1 for this site: its base URL, its cookie name', async () => {
    assert.equal(doc.openapi, '3.1.0');
    assert.equal(doc.servers[0].url, t.url);
    const connect = await call(`${t.url}/rest/system/connect.json`, { method: 'POST', json: {} });
    assert.equal(doc.components.securitySchemes.sessionCookie.name, connect.json.session_name);
  });

  it('lists the Services operations the endpoint configures, the token, the Drupal 8 dialect and the account API', () => {
    for (const [path, method] of [['/rest/user/{uid}', 'get'], ['/rest/user/{uid}', 'put'], ['/rest/user', 'post'], ['/rest/user/login', 'post'], ['/rest/user/register', 'post'],
      ['/rest/user/{uid}/password_reset', 'post'], ['/rest/system/connect', 'post'], ['/services/session/token', 'get'], ['/user/{uid}', 'patch'], ['/user/login', 'post'],
      ['/gatehouse/api/sessions', 'get'], ['/gatehouse/api/sessions/{id}', 'delete'], ['/gatehouse/api/audit', 'get']]) {
      assert.ok(doc.paths[path]?.[method], `${method.toUpperCase()} ${path} listed`);
    }
  });

  it('lists nothing the server does not answer: every path and method is routed', async () => {
    const missing: string[] = [];
    let checked = 0;
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        const r = await call(urlOf(path, op), { method: method.toUpperCase(), ...(method === 'get' || method === 'delete' ? {} : { json: {} }) });
        checked++;
        // Not found here is the server's own 404 page (HTML): a Services 404 names what it could not find.
        const notRouted = (r.status === 404 && /Page not found/.test(r.text)) || r.status === 405;
        if (notRouted) missing.push(`${method.toUpperCase()} ${path} → ${r.status} ${r.text.slice(0, 80)}`);
      }
    }
    assert.ok(checked >= 20, `${checked} operations`);
    assert.deepEqual(missing, []);
  });

  it('answers the account API as its schemas say', async () => {
    const login = await call(`${t.url}/rest/user/login.json`, { method: 'POST', json: { username: 'admin', password: 'admin' } });
    const cookie = cookieOf(login.json);
    const ajv = new Ajv2020({ strict: false });
    for (const path of ['/gatehouse/api/sessions', '/gatehouse/api/users/{uid}/sessions', '/gatehouse/api/audit']) {
      const op = doc.paths[path].get;
      const r = await call(urlOf(path, op), { headers: { Cookie: cookie } });
      assert.equal(r.status, 200, `${path}: ${r.text}`);
      const schema = op.responses['200'].content!['application/json'].schema!;
      assert.ok(ajv.validate(schema, r.json), `${path}: ${ajv.errorsText()}`);
    }
  });

  it('shows the same operations on a page for people', async () => {
    const r = await call(`${t.url}/gatehouse/api-docs`);
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type') ?? '', /text\/html/);
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const method of Object.keys(item)) assert.ok(r.text.includes(`<code>${method.toUpperCase()}</code></td><td><code>${path}</code>`), `${method} ${path} on the page`);
    }
  });
});
