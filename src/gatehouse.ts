import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { type AppOptions, buildApp } from './app.js';
import { type Config, defaultEndpoint } from './config/config.js';
import { ENDPOINTS_VARIABLE, importedEndpoints } from './import/drupal7/endpoints.js';
import { type Clock, systemClock } from './core/clock.js';
import type { CoreDeps } from './core/core-deps.js';
import type { AccountMailer } from './core/mail/account-mailer.js';
import { createDrupalSiteHasher, siteCountLog2 } from './core/passwords/drupal-site-hasher.js';
import { createPasswordHasher, type PasswordHasher } from './core/passwords/password-hasher.js';
import { HashLimiter, limitedHasher } from './core/passwords/hash-limiter.js';
import type { Store } from './core/ports.js';
import { ensureSiteBaseline } from './core/site-baseline.js';
import { loadSiteKeys } from './core/settings/site-keys.js';
import { createAccountMailer } from './mail/account-mailer.js';
import { type DatabaseHandle, openDatabase } from './storage/database.js';
import { createStore } from './storage/kysely-store.js';
import { createPostgresStore } from './storage/postgres-request-reads.js';
import { createConsoleQueries } from './storage/console-queries.js';
import { createAuditLog } from './storage/audit-log.js';
import { ReadCache } from './storage/read-cache.js';
import { siteCollationOf } from './storage/site-collation.js';
import { migrateToLatest } from './storage/migrate.js';
import { createBridgedStore } from './strangler/bridged-store.js';
import { forwardPreparation } from './strangler/forward-preparation.js';
import { type LegacyLink, openLegacyLink } from './strangler/legacy-link.js';
import type { WriteBackLog } from './strangler/write-back.js';
import { PublicFilesFolder } from './storage/public-files-folder.js';
import { retryOnDeadlock } from './storage/retry-deadlock.js';

export interface Overrides extends AppOptions {
  clock?: Clock; hasher?: PasswordHasher; mailer?: AccountMailer; schema?: string;
  /** Where the strangler bridge logs (default: its own pino logger at `logLevel`). */
  legacyLog?: WriteBackLog;
}

export interface Gatehouse {
  config: Config;
  database: DatabaseHandle;
  store: Store;
  core: CoreDeps;
  /** Strangler mode: the legacy site's database, when configured (the store writes through to it). */
  legacy: LegacyLink | null;
  close(): Promise<void>;
}

/** Opens the database, brings the schema up to date, prepares the site baseline and the core. */
export async function openGatehouse(config: Config, o: Overrides = {}): Promise<Gatehouse> {
  const database = await openDatabase(config.databaseUrl, { schema: o.schema });
  await migrateToLatest(database.db, database.dialect);
  const collation = await siteCollationOf(database.db, config.siteDefaults);
  const local = database.dialect === 'postgres' ? createPostgresStore(database.db, collation, database.prepared) : createStore(database.db, new ReadCache({ changeVersion: database.changeVersion }), collation);
  // Instances starting at once on a fresh PostgreSQL database write the same first rows: a deadlock's victim retries.
  await retryOnDeadlock(() => ensureSiteBaseline(local));
  const keys = await retryOnDeadlock(() => loadSiteKeys(local.variables, config.hashSalt));
  const legacy = config.legacy.databaseUrl ? await openLegacyLink(config, database, local.accounts, o.legacyLog) : null;
  const store = legacy ? createBridgedStore(local, legacy) : local;
  const localCount = legacy ? await local.variables.get('password_count_log2') : undefined;
  const hasher = o.hasher ?? createPasswordHasher();
  const core: CoreDeps = {
    store, keys, clock: o.clock ?? systemClock, mailer: o.mailer ?? createAccountMailer(),
    // While bridged every hash written is a Drupal 7 `$S$` at the site's password_count_log2 (imported, else the legacy variable).
    // Every hash, of either kind, is admitted through the one bound on hashing (hash-limiter.ts).
    hasher: limitedHasher(legacy ? bridgedSiteHasher(hasher, legacy, localCount) : hasher, new HashLimiter(config.hashing)),
    ...(legacy ? { legacyAccounts: legacy.passwords } : {}),
    security: config.security, registrationLimit: registrationLimit(config), audit: createAuditLog(database.db),
    webhooks: config.webhooks.map(({ url, events }) => ({ url, ...(events ? { events } : {}) })),
    ...(config.publicFilesDir !== null ? { publicFiles: new PublicFilesFolder(path.resolve(config.publicFilesDir)) } : {}),
  };
  return { config, database, store, core, legacy, close: async () => { await legacy?.close(); await database.close(); } };
}

/** The hardened profile allows at most 20 registrations per address and hour whatever the retention setting. */
function registrationLimit(config: Config): { perIp: number; window: number } {
  const { registrationsPerIp: perIp, registrationWindow: window } = config.retention;
  if (config.security !== 'hardened') return { perIp, window };
  return { perIp: perIp > 0 ? Math.min(perIp, HARDENED_REGISTRATIONS_PER_HOUR) : HARDENED_REGISTRATIONS_PER_HOUR, window: Math.max(window, 3600) };
}
const HARDENED_REGISTRATIONS_PER_HOUR = 20;

/** The whole server: the core plus its HTTP application (not listening). */
export async function createServer(config: Config, o: Overrides = {}): Promise<Gatehouse & { app: FastifyInstance }> {
  const gatehouse = await openGatehouse(config, o);
  config = await withImportedEndpoints(config, gatehouse.store);
  const { origin } = config.legacy;
  const prepare = gatehouse.legacy ? forwardPreparation(gatehouse.legacy.writeBack, gatehouse.store.variables) : undefined;
  const forwarder = origin && config.legacy.forward === 'unserved' ? (await import('./strangler/forwarder.js')).createForwarder({ ...config.legacy, origin }, prepare) : null;
  const { db } = gatehouse.database;
  const webConsole = { queries: createConsoleQueries(db, await siteCollationOf(db, config.siteDefaults)), audit: gatehouse.core.audit ?? createAuditLog(db), ...(gatehouse.legacy ? { writeBack: gatehouse.legacy.writeBack } : {}) };
  const app = await buildApp(config, gatehouse.core, { webConsole, ...o, forward: o.forward ?? forwarder?.forward, extraMetrics: [...(o.extraMetrics ?? []), ...(gatehouse.legacy?.writeBack.metrics ?? [])] });
  // The legacy database is probed in the background: the server listens whether or not it answers.
  void gatehouse.legacy?.health.probe();
  return { ...gatehouse, config, app, close: async () => { await app.close(); await forwarder?.close(); await gatehouse.close(); } };
}

/**
 * Endpoints come from the deployment file; where it names none (only the built-in default), the endpoints
 * an import brought from the Drupal 7 site's services_endpoint table are served instead.
 */
async function withImportedEndpoints(config: Config, store: Store): Promise<Config> {
  const isDefault = JSON.stringify(config.endpoints) === JSON.stringify([defaultEndpoint()]);
  if (!isDefault) return config;
  const imported = importedEndpoints(await store.variables.get(ENDPOINTS_VARIABLE));
  return imported && imported.length > 0 ? Object.freeze({ ...config, endpoints: imported }) : config;
}

/**
 * Drupal's $S$ at the bridged site's password_count_log2: the imported variable, else the legacy one, which
 * the background probe reads — a hash made before the probe has answered waits for it (never at start).
 */
function bridgedSiteHasher(base: PasswordHasher, legacy: LegacyLink, localCount: unknown): PasswordHasher {
  const site = createDrupalSiteHasher(base, () => siteCountLog2(localCount ?? legacy.passwordCountLog2));
  return {
    ...site,
    hash: async (plain) => {
      if (localCount === undefined && !legacy.health.probed) await legacy.health.probe();
      return site.hash(plain);
    },
  };
}
