/**
 * Mail made visible to the operator: `gatehouse mail test <to>` says what happened (written to a file, handed
 * to SMTP, failed), the server logs its transport at start and warns when SMTP cannot be reached, and /readyz
 * reports an unreachable transport as degraded (200) rather than down.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gatehouseAsync, gatehouseJson, serve, stop } from '../helpers/cli.js';
import { closedPort, startSmtp, type TestSmtp, waitFor } from './helpers.js';

describe('mail visibility', () => {
  let dir: string;
  let env: Record<string, string>;
  let smtp: TestSmtp;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-mailvis-'));
    env = { DATABASE_URL: `sqlite:${path.join(dir, 'db.sqlite')}`, GATEHOUSE_MAIL_DIR: path.join(dir, 'mail'), GATEHOUSE_SITE_MAIL: 'site@example.org', GATEHOUSE_SMTP_URL: '' };
    smtp = await startSmtp({ kind: 'accept' });
  });
  after(async () => {
    await smtp.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('mail test: written to a file with the folder transport', async () => {
    const r = await gatehouseAsync(['mail', 'test', 'ops@example.com'], env);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^\.eml files in .*\(written to a file, not sent/m);
    const file = /^written: (.+\.eml)$/m.exec(r.out)?.[1];
    assert.ok(file && fs.existsSync(file), r.out);
    assert.match(fs.readFileSync(file, 'utf8'), /^To: ops@example\.com$/m);
  });

  test('mail test: handed to SMTP, or failed with the reason', async () => {
    const ok = await gatehouseJson<{ delivered: boolean; transport: string; response: string }>(['mail', 'test', 'ops@example.com'], { ...env, GATEHOUSE_SMTP_URL: `smtp://127.0.0.1:${smtp.port}` });
    assert.equal(ok.delivered, true);
    assert.match(ok.transport, new RegExp(`^SMTP 127\\.0\\.0\\.1:${smtp.port} \\(STARTTLS when offered, no login\\)`));
    assert.match(ok.response, /^250/);
    await waitFor(() => smtp.received.some((m) => m.to.includes('ops@example.com')), 5_000, 'the test mail at the SMTP server');
    const down = await gatehouseAsync(['mail', 'test', 'ops@example.com'], { ...env, GATEHOUSE_SMTP_URL: `smtp://127.0.0.1:${await closedPort()}` });
    assert.equal(down.code, 1);
    assert.match(down.err, /failed: .*ECONN/);
    assert.match((await gatehouseAsync(['mail', 'test', 'not-an-address'], env)).err, /not valid/);
  });

  test('serve logs the transport; unreachable SMTP is a warning and /readyz says degraded', async () => {
    const port = await closedPort();
    const server = await serve({ ...env, GATEHOUSE_SMTP_URL: `smtp://127.0.0.1:${port}` }, { mailWorker: true });
    try {
      await waitFor(() => /mail transport unreachable/.test(server.output()), 15_000, 'the unreachable warning');
      assert.match(server.output(), new RegExp(`"msg":"mail transport: SMTP 127\\.0\\.0\\.1:${port} `));
      const ready = await fetch(`${server.url}/readyz`);
      assert.equal(ready.status, 200, 'degraded, not down');
      const body = (await ready.json()) as { status: string; mail: { reachable: boolean; error: string } };
      assert.equal(body.status, 'degraded');
      assert.equal(body.mail.reachable, false);
      assert.match(body.mail.error, /ECONN/);
    } finally {
      await stop(server.child);
    }
    const healthy = await serve(env, { mailWorker: true });
    try {
      const body = (await (await fetch(`${healthy.url}/readyz`)).json()) as { status: string; mail: { reachable: boolean } };
      assert.deepEqual([body.status, body.mail.reachable], ['ready', true]);
    } finally {
      await stop(healthy.child);
    }
  });
});
