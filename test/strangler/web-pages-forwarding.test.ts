/**
 * Strangler mode and the web pages: by default they stay on Drupal (forwarded like any unserved path); the
 * operator moves a group over with `webPages`, and the rest keeps forwarding.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { call } from '../helpers/http.js';
import type { TestServer } from '../helpers/test-server.js';
import { startStrangler } from './strangler-server.js';

describe('strangler mode: web pages', () => {
  let origin: http.Server;
  let originUrl = '';
  let byDefault: TestServer;
  let accountOnly: TestServer;

  before(async () => {
    origin = http.createServer((req, res) => { res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ legacy: true, path: req.url })); });
    await new Promise<void>((r) => origin.listen(0, '127.0.0.1', r));
    originUrl = `http://127.0.0.1:${(origin.address() as AddressInfo).port}`;
    byDefault = await startStrangler({ origin: originUrl });
    // The Drupal 8 dialect off, as on a site that serves only Services: its `_format` paths then forward too.
    accountOnly = await startStrangler({ origin: originUrl }, { webPages: ['account'], drupal8: { enabled: false } as never });
  });
  after(async () => {
    await byDefault?.close();
    await accountOnly?.close();
    await new Promise<void>((r) => origin.close(() => r()));
  });

  it('serves no page unless the operator enables it: /user/login and /admin/people go to Drupal', async () => {
    for (const path of ['/user/login', '/user/register', '/user/sessions', '/admin/people']) {
      const res = await call(`${byDefault.url}${path}`);
      assert.deepEqual([res.status, res.json?.legacy, res.json?.path], [200, true, path], path);
    }
  });

  it('with webPages ["account"]: the account pages are Gatehouse\'s, the console and _format paths still forward', async () => {
    const login = await call(`${accountOnly.url}/user/login`);
    assert.equal(login.status, 200);
    assert.match(login.text, /<form method="post" action="\/user\/login" id="user-login">/);
    const people = await call(`${accountOnly.url}/admin/people`);
    assert.deepEqual([people.json?.legacy, people.json?.path], [true, '/admin/people']);
    const d8 = await call(`${accountOnly.url}/user/login?_format=json`, { method: 'POST', json: { name: 'a', pass: 'b' } });
    assert.deepEqual([d8.json?.legacy, d8.json?.path], [true, '/user/login?_format=json']);
  });
});
