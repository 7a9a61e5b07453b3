import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Config, LegacyConfig } from '../../src/config/config.js';
import { defaultEndpoint } from '../../src/config/config.js';
import { loadConfig } from '../../src/config/load-config.js';
import { openGatehouse } from '../../src/gatehouse.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { after, before } from 'node:test';
import { type LegacySite, loadLegacySite, SITE_B_COOKIE_DOMAIN, SITE_B_HASH_SALT, SITE_B_PRIVATE_KEY } from './legacy-site.js';
import { type StandIn, startStandInOrigin } from './stand-in-origin.js';

/** Site B's endpoint as Gatehouse serves it: `api`, user and system resources. */
export const API_ENDPOINT = { ...defaultEndpoint(), name: 'api', path: 'api', formatters: ['json', 'xml'], resources: { user: true as const, system: true as const } };

/**
 * Gatehouse in strangler mode in front of a legacy site: site B's cookie domain, hash salt and private key
 * (set as the `drupal_private_key` variable before the first start, as `gatehouse import drupal7` would).
 */
export async function startStrangler(legacy: Partial<LegacyConfig>, extra: Partial<Config> = {}, o: { databaseUrl?: string } = {}): Promise<TestServer & { config: Config }> {
  // A database of the caller's outlives this server (a restart); else one of its own, removed on close.
  const dir = o.databaseUrl ? null : fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-strangler-'));
  const databaseUrl = o.databaseUrl ?? `sqlite:${path.join(dir as string, 'gatehouse.sqlite')}`;
  const seed = await openGatehouse(loadConfig({ env: {}, overrides: { databaseUrl, logLevel: 'silent' } }));
  await seed.store.variables.set('drupal_private_key', SITE_B_PRIVATE_KEY);
  await seed.close();
  const config: Partial<Config> = {
    cookieDomain: SITE_B_COOKIE_DOMAIN, hashSalt: SITE_B_HASH_SALT, endpoints: [API_ENDPOINT],
    legacy: { origin: null, databaseUrl: null, timeoutMs: 2000, forward: 'unserved', retryIntervalMs: 100, ...legacy },
    ...extra,
  };
  const server = await startTestServer({ preset: 'empty', databaseUrl, config, settings: { user_register: 1, user_email_verification: false } });
  return { ...server, config: server.server.config, close: async () => { await server.close(); if (dir) fs.rmSync(dir, { recursive: true, force: true }); } };
}

/** A legacy site (a fresh copy of site B's dump), its stand-in origin and Gatehouse in front, for one suite. */
export interface StranglerRig { legacy: LegacySite; origin: StandIn; gate: TestServer & { config: Config } }

/** Registers before/after hooks that build and tear down a rig; the returned object is filled in `before`. */
/** `extra`: more of Gatehouse's configuration (e.g. the web pages moved over). */
export function useStranglerRig(name: string, legacyConfig: Partial<LegacyConfig> = {}, extra: Partial<Config> = {}): StranglerRig {
  const rig = {} as StranglerRig;
  before(async () => {
    rig.legacy = await loadLegacySite(name);
    rig.origin = await startStandInOrigin(rig.legacy.db);
    rig.gate = await startStrangler({ origin: rig.origin.url, databaseUrl: rig.legacy.url, ...legacyConfig }, extra);
  });
  after(async () => {
    await rig.gate?.close();
    await rig.origin?.close();
    await rig.legacy?.drop();
  });
  return rig;
}
