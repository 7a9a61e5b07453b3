import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { defaultEndpoint } from '../../src/config/config.js';
import { loadConfig } from '../../src/config/load-config.js';
import { createFastTestHasher } from '../../src/core/passwords/password-hasher.js';
import { createServer } from '../../src/gatehouse.js';
import { defineResource } from '../../src/protocols/services3/resource.js';
import { raw } from './wire.js';

const SECRET = 'secret-detail-/srv/gatehouse/src/db.ts:42';

/** A site resource whose code fails in every way a bug can: in the callback, in access, asynchronously. */
const brokenResource = defineResource({
  name: 'broken',
  operations: {
    index: { args: [], access: () => true, handler: async () => { throw new TypeError(SECRET); } },
    retrieve: { args: [{ name: 'id', source: { from: 'path', index: 0 } }], access: () => { throw new RangeError(SECRET); }, handler: async () => null },
  },
  actions: {
    reject: { args: [], access: () => true, handler: () => Promise.reject(Object.assign(new Error(SECRET), { statusCode: 502 })) },
  },
});

/** Any exception that is not a Services error: `500 Internal Server Error : An error occurred.`, empty body, no trace. */
describe('unexpected exceptions', () => {
  let s: { url: string; port: number } & { close(): Promise<void>; closeDatabase(): Promise<void> };
  before(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-500-'));
    const config = loadConfig({
      env: {},
      overrides: {
        host: '127.0.0.1', port: 0, databaseUrl: `sqlite:${path.join(dir, 'g.sqlite')}`, logLevel: 'silent', mailWorker: false,
        endpoints: [{ ...defaultEndpoint(), resources: { user: true, system: true, broken: true } }],
      },
    });
    const server = await createServer(config, { hasher: createFastTestHasher(), logger: false, resources: [brokenResource] });
    await server.app.listen({ host: '127.0.0.1', port: 0 });
    const address = server.app.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    s = {
      url: `http://127.0.0.1:${port}`, port,
      closeDatabase: () => server.database.close(),
      close: async () => { await server.close().catch(() => undefined); fs.rmSync(dir, { recursive: true, force: true }); },
    };
  });
  after(async () => { await s.close(); });

  const assert500 = (r: Awaited<ReturnType<typeof raw>>, label: string) => {
    assert.equal(r.status, 500, label);
    assert.equal(r.reason, 'Internal Server Error : An error occurred.', label);
    assert.equal(r.header('content-type'), 'text/html; charset=UTF-8', label);
    assert.equal(r.body, '', label);
    assert.ok(!r.statusLine.includes('secret') && !r.headers.some(([, v]) => v.includes('secret')), label);
  };

  test('a callback, an access callback or a rejected promise that throws', async () => {
    for (const [method, url] of [['GET', '/rest/broken.json'], ['GET', '/rest/broken/1.xml'], ['POST', '/rest/broken/reject'], ['GET', '/?q=rest/broken']]) {
      const r = await raw(s, method, url, [['Content-Type', 'application/json'], ['Accept', 'application/xml']], method === 'POST' ? '{}' : null);
      assert500(r, `${method} ${url}`);
    }
  });

  test('the database gone: routes that need it answer 500, and the server keeps answering', async () => {
    await s.closeDatabase();
    for (const [method, url] of [['POST', '/rest/user/login.json'], ['GET', '/rest/user/1.json'], ['POST', '/rest/user/register.xml']]) {
      const r = await raw(s, method, url, [['Content-Type', 'application/json'], ['Cookie', 'SESSx=y']], method === 'POST' ? '{"username":"a","password":"b"}' : null);
      assert500(r, `${method} ${url}`);
    }
    const root = await raw(s, 'GET', '/rest');
    assert.equal(root.status, 200);
  });
});
