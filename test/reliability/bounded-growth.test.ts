// Tables stay bounded: the flood table keeps the newest `limit` rows per identifier (answers unchanged, no
// rows added while blocked), registrations per address are limited, and the outbox redacts one-time links
// once sent, renews them when a redacted mail is sent again, and drops old mails.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FLOOD_IP_EVENT } from '../../src/core/auth/flood-control.js';
import { linkRenewer, purgeOutbox, REDACTED } from '../../src/mail/link-redaction.js';
import { OutboxWorker } from '../../src/mail/outbox-worker.js';
import type { MailTransport, TransportMessage } from '../../src/mail/transports/transport.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { request } from './raw.js';

const floodRows = (t: TestServer, event: string) => t.server.database.db.selectFrom('flood').selectAll().where('event', '=', event).execute();
const login = (t: TestServer, username: string, password: string) => request(`${t.url}/rest/user/login.json`, { body: JSON.stringify({ username, password }) });

describe('flood cap', () => {
  let t: TestServer;
  before(async () => { t = await startTestServer({ settings: { user_failed_login_ip_limit: 5, user_failed_login_user_limit: 100 } }); });
  after(() => t.close());

  it('keeps the newest limit rows per identifier: blocked answers as before, no rows added while blocked', async () => {
    for (let i = 0; i < 5; i++) assert.equal((await login(t, 'alice', 'wrong')).status, 401);
    for (let i = 0; i < 20; i++) {
      const r = await login(t, 'alice', 'alicepass');
      assert.equal(r.status, 406);
      assert.match(r.reason, /temporarily blocked/);
    }
    const ip = await floodRows(t, FLOOD_IP_EVENT);
    assert.equal(ip.length, 5, 'the IP identifier holds exactly `limit` rows');
  });
});

describe('registrations per address', () => {
  let t: TestServer;
  before(async () => { t = await startTestServer({ preset: 'empty', settings: { user_register: 1, user_email_verification: false }, config: { retention: { outboxSentDays: 30, outboxFailedDays: 90, registrationsPerIp: 3, registrationWindow: 3600 } } }); });
  after(() => t.close());

  it('refuses the registration past the limit with 406 and creates nothing', async () => {
    const register = (i: number) => request(`${t.url}/rest/user/register.json`, { body: JSON.stringify({ name: `reg${i}`, mail: `reg${i}@example.com`, pass: 'pw-123456' }) });
    for (let i = 0; i < 3; i++) assert.equal((await register(i)).status, 200);
    const r = await register(3);
    assert.equal(r.status, 406);
    assert.deepEqual(JSON.parse(r.text), ['Too many registrations from this IP address. Please try again later.']);
    assert.equal(await t.server.store.accounts.byName('reg3', 'like'), undefined);
  });
});

class Capture implements MailTransport {
  readonly name = 'capture';
  readonly description = 'kept in memory (test)';
  readonly sent: TransportMessage[] = [];
  async check() {}
  fail = false;
  async send(m: TransportMessage) { if (this.fail) throw new Error('down'); this.sent.push(m); return { response: 'ok' }; }
  async close() {}
}

describe('outbox retention', () => {
  let t: TestServer;
  before(async () => { t = await startTestServer(); });
  after(() => t.close());

  it('redacts one-time links once sent or dead, and a dead mail retried gets a fresh working link', async () => {
    const db = t.server.database.db;
    const capture = new Capture();
    const worker = new OutboxWorker({ db, dialect: t.server.database.dialect, transport: capture, maxAttempts: 1, renewLinks: linkRenewer(db, null) });
    const ask = () => request(`${t.url}/rest/user/request_new_password.json`, { body: JSON.stringify({ name: 'alice' }) });
    assert.equal((await ask()).status, 200);
    await worker.drain();
    const link = /http:\/\/\S+\/user\/reset\/\d+\/\d+\/[A-Za-z0-9_-]{20,}/.exec(capture.sent[0].text)?.[0];
    assert.ok(link, 'the mail sent carries the real link');
    const stored = await db.selectFrom('outbox').select(['id', 'body', 'status']).orderBy('id', 'desc').executeTakeFirstOrThrow();
    assert.equal(stored.status, 'sent');
    assert.ok(!stored.body.includes(link.split('/').at(-1)!), 'the hash is gone from the table');
    assert.ok(stored.body.includes(REDACTED));

    capture.fail = true;
    assert.equal((await ask()).status, 200);
    await worker.drain();
    const dead = await db.selectFrom('outbox').select(['id', 'body', 'status']).orderBy('id', 'desc').executeTakeFirstOrThrow();
    assert.equal(dead.status, 'dead');
    assert.ok(dead.body.includes(REDACTED));
    capture.fail = false;
    await db.updateTable('outbox').set({ status: 'pending', attempts: 0, next_attempt_at: 0 }).where('id', '=', dead.id).execute();
    await worker.drain();
    const renewed = /http:\/\/\S+(\/user\/reset\/\d+\/\d+\/[A-Za-z0-9_-]{20,})/.exec(capture.sent.at(-1)!.text)?.[1];
    assert.ok(renewed, `the retried mail carries a fresh link: ${capture.sent.at(-1)!.text}`);
    const page = await request(`${t.url}${renewed}`, { headers: { Accept: 'text/html' } });
    assert.equal(page.status, 200, 'the fresh link opens the one-time login page');
    assert.doesNotMatch(page.text, /invalid|expired/i);

    const now = Math.floor(Date.now() / 1000);
    assert.equal(await purgeOutbox(db, now, { sentDays: 30, deadDays: 90 }), 0);
    assert.equal(await purgeOutbox(db, now + 31 * 86400, { sentDays: 30, deadDays: 90 }), 2);
    assert.equal((await db.selectFrom('outbox').select('id').execute()).length, 0);
  });
});
