// Account events reach configured webhooks over real HTTP: enqueued in the outbox by the request that made
// the event (whatever protocol), POSTed by the outbox worker with an HMAC signature a receiver can check, only
// the events a webhook asked for, retried when the receiver fails, and never mailed.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { OutboxWorker } from '../../src/mail/outbox-worker.js';
import { CaptureTransport } from '../../src/mail/transports/capture.js';
import { webhookSignature, withWebhooks } from '../../src/mail/transports/webhooks.js';
import { call } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

interface Received { headers: http.IncomingHttpHeaders; body: string }

describe('webhooks', () => {
  const secret = 'a-webhook-secret-of-some-length';
  const received: Received[] = [];
  let failNext = 0;
  let receiver: http.Server;
  let url = '';
  let t: TestServer;
  before(async () => {
    receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => { body += c; }).on('end', () => {
        if (failNext > 0) { failNext--; res.writeHead(503).end(); return; }
        received.push({ headers: req.headers, body });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/gatehouse`;
    t = await startTestServer({ config: { webhooks: [{ url, secret, events: ['login', 'login_failed'] }] } });
  });
  after(async () => { await t.close(); receiver.close(); });

  let clockNow = 1_900_000_000;
  const worker = (mail: CaptureTransport) => new OutboxWorker({
    db: t.server.database.db, dialect: t.server.database.dialect, transport: withWebhooks(mail, [{ url, secret }]), clock: () => clockNow, retryJitter: 0,
  });

  it('posts a login, signed, with the event as JSON; a mail in the same outbox is still mailed', async () => {
    received.length = 0;
    assert.equal((await call(`${t.url}/rest/user/login.json`, { method: 'POST', json: { username: 'alice', password: 'alicepass' } })).status, 200);
    const mail = new CaptureTransport();
    const r = await worker(mail).drain();
    assert.ok(r.sent >= 1, JSON.stringify(r));
    assert.equal(received.length, 1);
    const got = received[0];
    const event = JSON.parse(got.body);
    assert.equal(event.event, 'login');
    assert.deepEqual(event.actor.name, 'alice');
    assert.equal(event.account.name, 'alice');
    assert.equal(event.ip, '127.0.0.1');
    assert.equal(got.headers['x-gatehouse-event'], 'login');
    assert.equal(got.headers['content-type'], 'application/json');
    const ts = String(got.headers['x-gatehouse-timestamp']);
    assert.equal(got.headers['x-gatehouse-signature'], webhookSignature(secret, ts, got.body));
    assert.notEqual(got.headers['x-gatehouse-signature'], webhookSignature('another-secret-entirely', ts, got.body));
    assert.ok(mail.sent.every((m) => !m.to.startsWith('http')), 'no webhook row goes to the mail transport');
  });

  it('sends only the events the webhook asked for', async () => {
    received.length = 0;
    const admin = await call(`${t.url}/rest/user/login.json`, { method: 'POST', json: { username: 'admin', password: 'admin' } });
    await call(`${t.url}/rest/user/logout.json`, { method: 'POST', headers: { Cookie: `${admin.json.session_name}=${admin.json.sessid}`, 'X-CSRF-Token': admin.json.token } });
    await call(`${t.url}/rest/user/login.json`, { method: 'POST', json: { username: 'bob', password: 'wrong' } });
    await worker(new CaptureTransport()).drain();
    assert.deepEqual(received.map((r) => JSON.parse(r.body).event), ['login', 'login_failed'], 'no logout: not asked for');
  });

  it('retries a delivery the receiver refused, with the same delivery id', async () => {
    received.length = 0;
    failNext = 1;
    await call(`${t.url}/rest/user/login.json`, { method: 'POST', json: { username: 'alice', password: 'alicepass' } });
    const w = worker(new CaptureTransport());
    assert.deepEqual(await w.drain(), { sent: 0, retried: 1, dead: 0 });
    assert.equal(received.length, 0);
    clockNow += 3600;
    assert.deepEqual(await w.drain(), { sent: 1, retried: 0, dead: 0 });
    assert.equal(received.length, 1);
    assert.match(String(received[0].headers['x-gatehouse-delivery']), /^<gatehouse\.\d+\.\d+@gatehouse\.invalid>$/);
  });
});
