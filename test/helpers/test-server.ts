import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Config } from '../../src/config/config.js';
import { loadConfig } from '../../src/config/load-config.js';
import { AccountAdmin } from '../../src/core/accounts/account-admin.js';
import { createFastTestHasher, type PasswordHasher } from '../../src/core/passwords/password-hasher.js';
import { createServer } from '../../src/gatehouse.js';
import { PEER_ACCOUNTS, PEER_CONFIG } from '../fixtures/peer-site.js';
import { createTestSchema, PG_URL, type TestSchema } from './postgres.js';
import { startHttpsFront } from '../site-b/https-front.js';
import { importSiteB, siteBClock } from '../site-b/site-b-fixture.js';

export interface StartOptions {
  /** `peer`: configured like the recorded site, with its four accounts; `empty`: a fresh site with no accounts. */
  /** `site-b`: ../shared/fixtures' site B imported from its dump, served behind a front that adds X-Forwarded-Proto: https. */
  preset?: 'peer' | 'empty' | 'site-b';
  settings?: Record<string, unknown>;
  config?: Partial<Config>;
  databaseUrl?: string;
  /** PostgreSQL schema to work in (with a postgres `databaseUrl`), e.g. to run two servers on one database. */
  schema?: string;
  /** Add the preset's accounts (default true); false for a second server on a database already seeded. */
  seedAccounts?: boolean;
  /** The password hasher (default: the fast test hasher), e.g. one that counts its calls. */
  hasher?: PasswordHasher;
}

/**
 * Which database a server gets when the test names none: a fresh SQLite file, or — with
 * GATEHOUSE_TEST_DATABASE=postgres — a fresh schema in the PostgreSQL test database, dropped on close.
 */
export const TEST_DATABASE: 'sqlite' | 'postgres' = process.env.GATEHOUSE_TEST_DATABASE === 'postgres' ? 'postgres' : 'sqlite';

export interface CapturedMail { id: string; to: string; from: string; subject: string; body: string }

export interface TestServer {
  url: string;
  port: number;
  setVariable(name: string, value: unknown): Promise<void>;
  mails(): Promise<CapturedMail[]>;
  close(): Promise<void>;
  server: Awaited<ReturnType<typeof createServer>>;
}

/** Boots the real server on 127.0.0.1 and an ephemeral port, over a fresh database (see TEST_DATABASE) or `databaseUrl`. */
export async function startTestServer(opts: StartOptions = {}): Promise<TestServer> {
  const preset = opts.preset ?? 'peer';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-test-'));
  const own: TestSchema | null = opts.databaseUrl === undefined && TEST_DATABASE === 'postgres' ? await createTestSchema('gh_http') : null;
  const databaseUrl = opts.databaseUrl ?? (own ? PG_URL : `sqlite:${path.join(dir, 'gatehouse.sqlite')}`);
  const schema = opts.schema ?? own?.schema;
  const peer = preset === 'peer';
  const siteB = preset === 'site-b' ? await importSiteB(databaseUrl) : null;
  const config = loadConfig({
    env: {},
    overrides: {
      host: '127.0.0.1', port: 0, databaseUrl, logLevel: 'silent', mailWorker: false, publicFilesDir: path.join(dir, 'files'),
      ...(peer ? { endpoints: PEER_CONFIG.endpoints } : {}),
      ...(siteB ? siteB.config : {}),
      siteDefaults: { ...(peer ? PEER_CONFIG.siteDefaults : {}), ...(opts.settings ?? {}) },
      ...(opts.config ?? {}),
    },
  });
  const server = await createServer(config, { hasher: opts.hasher ?? createFastTestHasher(), logger: false, schema, ...(siteB ? { clock: siteBClock() } : {}) }).catch(async (err) => {
    await own?.drop();
    throw err;
  });
  if (peer && opts.seedAccounts !== false) {
    const admin = new AccountAdmin(server.core);
    for (const a of PEER_ACCOUNTS) {
      await admin.add({ name: a.name, mail: `${a.name}@example.com`, password: a.pass, roles: a.roles, status: a.status ?? 1, timezone: a.timezone, accessed: a.timezone !== undefined });
    }
  }
  await server.app.listen({ host: '127.0.0.1', port: 0 });
  const address = server.app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const front = siteB ? await startHttpsFront({ to: port, tls: false }) : null;
  return {
    url: `http://127.0.0.1:${front ? front.port : port}`,
    port: front ? front.port : port,
    server,
    setVariable: (name, value) => server.store.variables.set(name, value),
    mails: async () => {
      const rows = await server.database.db.selectFrom('outbox').select(['mail_id', 'recipient', 'sender', 'subject', 'body']).orderBy('id').execute();
      return rows.map((r) => ({ id: r.mail_id, to: r.recipient, from: r.sender, subject: r.subject, body: r.body }));
    },
    close: async () => {
      await front?.close();
      await server.close();
      await own?.drop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
