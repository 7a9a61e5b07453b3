import type { FastifyInstance } from 'fastify';
import { type AppOptions, buildApp } from './app.js';
import { type Config, defaultEndpoint } from './config/config.js';
import { ENDPOINTS_VARIABLE, importedEndpoints } from './import/drupal7/endpoints.js';
import { type Clock, systemClock } from './core/clock.js';
import type { CoreDeps } from './core/core-deps.js';
import type { AccountMailer } from './core/mail/account-mailer.js';
import { createDrupalSiteHasher, siteCountLog2 } from './core/passwords/drupal-site-hasher.js';
import { createPasswordHasher, type PasswordHasher } from './core/passwords/password-hasher.js';
import type { Store } from './core/ports.js';
import { ensureSiteBaseline } from './core/site-baseline.js';
import { loadSiteKeys } from './core/settings/site-keys.js';
import { createAccountMailer } from './mail/account-mailer.js';
import { type DatabaseHandle, openDatabase } from './storage/database.js';
import { createStore } from './storage/kysely-store.js';
import { createConsoleQueries } from './storage/console-queries.js';
import { createAuditLog } from './storage/audit-log.js';
import { ReadCache } from './storage/read-cache.js';
import { migrateToLatest } from './storage/migrate.js';
import { createBridgedStore } from './strangler/bridged-store.js';
import { forwardPreparation } from './strangler/forward-preparation.js';
import { createForwarder } from './strangler/forwarder.js';
import { type LegacyLink, openLegacyLink } from './strangler/legacy-link.js';

export interface Overrides extends AppOptions { clock?: Clock; hasher?: PasswordHasher; mailer?: AccountMailer; schema?: string }

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
  const local = createStore(database.db, new ReadCache({ changeVersion: database.changeVersion }));
  await ensureSiteBaseline(local);
  const keys = await loadSiteKeys(local.variables, config.hashSalt);
  const legacy = config.legacy.databaseUrl ? await openLegacyLink(config, database, local.accounts) : null;
  const store = legacy ? createBridgedStore(local, legacy) : local;
  const hasher = o.hasher ?? createPasswordHasher();
  const core: CoreDeps = {
    store, keys, clock: o.clock ?? systemClock, mailer: o.mailer ?? createAccountMailer(), loginNameMatch: config.loginNameMatch,
    // While bridged every hash written is a Drupal 7 `$S$` at the site's password_count_log2 (imported, else the legacy variable).
    hasher: legacy ? createDrupalSiteHasher(hasher, siteCountLog2((await local.variables.get('password_count_log2')) ?? legacy.passwordCountLog2)) : hasher,
    ...(legacy ? { legacyAccounts: legacy.passwords } : {}),
  };
  return { config, database, store, core, legacy, close: async () => { await legacy?.close(); await database.close(); } };
}

/** The whole server: the core plus its HTTP application (not listening). */
export async function createServer(config: Config, o: Overrides = {}): Promise<Gatehouse & { app: FastifyInstance }> {
  const gatehouse = await openGatehouse(config, o);
  config = await withImportedEndpoints(config, gatehouse.store);
  const { origin } = config.legacy;
  const prepare = gatehouse.legacy ? forwardPreparation(gatehouse.legacy.writeBack, gatehouse.store.variables) : undefined;
  const forwarder = origin && config.legacy.forward === 'unserved' ? createForwarder({ ...config.legacy, origin }, prepare) : null;
  const app = await buildApp(config, gatehouse.core, { webConsole: { queries: createConsoleQueries(gatehouse.database.db), audit: createAuditLog(gatehouse.database.db) }, ...o, forward: o.forward ?? forwarder?.forward, extraMetrics: [...(o.extraMetrics ?? []), ...(gatehouse.legacy?.writeBack.metrics ?? [])] });
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
