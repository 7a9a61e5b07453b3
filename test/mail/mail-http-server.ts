// A real Gatehouse HTTP server (peer-site configuration and accounts, fresh SQLite file) with the outbox
// worker delivering over SMTP to a test smtp-server, as runServer wires them, plus a settable clock.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config/load-config.js';
import { AccountAdmin } from '../../src/core/accounts/account-admin.js';
import { createFastTestHasher } from '../../src/core/passwords/password-hasher.js';
import { createServer } from '../../src/gatehouse.js';
import { OutboxWorker } from '../../src/mail/outbox-worker.js';
import { createSmtpTransport } from '../../src/mail/transports/smtp.js';
import { PEER_ACCOUNTS, PEER_CONFIG } from '../fixtures/peer-site.js';
import { fakeClock, startSmtp, type Received, type SmtpMode, type TestSmtp, waitFor } from './helpers.js';

export interface MailHttpServer {
  url: string;
  smtp: TestSmtp;
  clock: ReturnType<typeof fakeClock>;
  server: Awaited<ReturnType<typeof createServer>>;
  /** Waits until the SMTP server holds `count` messages, and returns them. */
  received(count: number): Promise<Received[]>;
  close(): Promise<void>;
}

export async function startMailHttpServer(o: { settings?: Record<string, unknown>; smtp?: SmtpMode } = {}): Promise<MailHttpServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-mail-http-'));
  const smtp = await startSmtp(o.smtp ?? { kind: 'accept' });
  const clock = fakeClock(Math.floor(Date.now() / 1000));
  const config = loadConfig({
    env: {},
    overrides: {
      host: '127.0.0.1', port: 0, databaseUrl: `sqlite:${path.join(dir, 'gatehouse.sqlite')}`, logLevel: 'silent', mailWorker: false,
      endpoints: PEER_CONFIG.endpoints,
      siteDefaults: { ...PEER_CONFIG.siteDefaults, site_name: 'Mail test site', site_mail: 'site@example.org', ...(o.settings ?? {}) },
    },
  });
  const server = await createServer(config, { hasher: createFastTestHasher(), logger: false, clock });
  const admin = new AccountAdmin(server.core);
  for (const a of PEER_ACCOUNTS) await admin.add({ name: a.name, mail: `${a.name}@example.com`, password: a.pass, roles: a.roles, status: a.status ?? 1 });
  await server.app.listen({ host: '127.0.0.1', port: 0 });
  const address = server.app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const transport = createSmtpTransport({ host: '127.0.0.1', port: smtp.port, connectionTimeoutMs: 2000, greetingTimeoutMs: 2000, socketTimeoutMs: 2000 });
  const worker = new OutboxWorker({ db: server.database.db, dialect: server.database.dialect, transport, clock: clock.now, pollIntervalMs: 50, retryJitter: 0 });
  worker.start();
  return {
    url: `http://127.0.0.1:${port}`,
    smtp,
    clock,
    server,
    async received(count) {
      await waitFor(() => smtp.received.length >= count, 10_000, `${count} message(s) at the SMTP server`);
      return smtp.received.slice(0, count);
    },
    async close() {
      await server.app.close();
      await worker.stop();
      await server.close();
      await smtp.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The one-time login link in a delivered message. */
export function resetLinkIn(text: string): string {
  const m = /http:\/\/127\.0\.0\.1:\d+\/user\/reset\/\d+\/\d+\/[A-Za-z0-9_-]+/.exec(text);
  if (!m) throw new Error(`no one-time login link in:\n${text}`);
  return m[0];
}
