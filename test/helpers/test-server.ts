import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Config } from '../../src/config/config.js';
import { loadConfig } from '../../src/config/load-config.js';
import { AccountAdmin } from '../../src/core/accounts/account-admin.js';
import { createFastTestHasher } from '../../src/core/passwords/password-hasher.js';
import { createServer } from '../../src/gatehouse.js';
import { PEER_ACCOUNTS, PEER_CONFIG } from '../fixtures/peer-site.js';

export interface StartOptions {
  /** `peer`: configured like the recorded site, with its four accounts; `empty`: a fresh site with no accounts. */
  preset?: 'peer' | 'empty';
  settings?: Record<string, unknown>;
  config?: Partial<Config>;
  databaseUrl?: string;
}

export interface CapturedMail { id: string; to: string; from: string; subject: string; body: string }

export interface TestServer {
  url: string;
  port: number;
  setVariable(name: string, value: unknown): Promise<void>;
  mails(): Promise<CapturedMail[]>;
  close(): Promise<void>;
  server: Awaited<ReturnType<typeof createServer>>;
}

/** Boots the real server on 127.0.0.1 and an ephemeral port, over a fresh SQLite file (or `databaseUrl`). */
export async function startTestServer(opts: StartOptions = {}): Promise<TestServer> {
  const preset = opts.preset ?? 'peer';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-test-'));
  const databaseUrl = opts.databaseUrl ?? `sqlite:${path.join(dir, 'gatehouse.sqlite')}`;
  const peer = preset === 'peer';
  const config = loadConfig({
    env: {},
    overrides: {
      host: '127.0.0.1', port: 0, databaseUrl, logLevel: 'silent', mailWorker: false,
      ...(peer ? { loginNameMatch: PEER_CONFIG.loginNameMatch, endpoints: PEER_CONFIG.endpoints } : {}),
      siteDefaults: { ...(peer ? PEER_CONFIG.siteDefaults : {}), ...(opts.settings ?? {}) },
      ...(opts.config ?? {}),
    },
  });
  const server = await createServer(config, { hasher: createFastTestHasher(), logger: false });
  if (peer) {
    const admin = new AccountAdmin(server.core);
    for (const a of PEER_ACCOUNTS) {
      await admin.add({ name: a.name, mail: `${a.name}@example.com`, password: a.pass, roles: a.roles, status: a.status ?? 1, timezone: a.timezone, accessed: a.timezone !== undefined });
    }
  }
  await server.app.listen({ host: '127.0.0.1', port: 0 });
  const address = server.app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    server,
    setVariable: (name, value) => server.store.variables.set(name, value),
    mails: async () => {
      const rows = await server.database.db.selectFrom('outbox').select(['mail_id', 'recipient', 'sender', 'subject', 'body']).orderBy('id').execute();
      return rows.map((r) => ({ id: r.mail_id, to: r.recipient, from: r.sender, subject: r.subject, body: r.body }));
    },
    close: async () => {
      await server.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
