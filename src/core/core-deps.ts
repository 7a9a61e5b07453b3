import type { AuditLog } from './audit/audit-log.js';
import type { Clock } from './clock.js';
import type { AccountMailer } from './mail/account-mailer.js';
import type { Account, Actor } from './model.js';
import type { PasswordHasher } from './passwords/password-hasher.js';
import type { PublicFiles, Store } from './ports.js';
import type { SiteKeys } from './settings/site-keys.js';
import type { SiteSettings } from './settings/site-settings.js';

/** What every use case is given: storage, time, hashing, mail composition, the site's keys. */
export interface CoreDeps {
  store: Store;
  clock: Clock;
  hasher: PasswordHasher;
  mailer: AccountMailer;
  keys: SiteKeys;
  /** `hardened`: the safer profile (docs/security.md); absent = `compat`, byte-compatible with Drupal 7. */
  security?: 'compat' | 'hardened';
  /** Anonymous registrations accepted per client address and window (seconds); absent or 0 = no limit. */
  registrationLimit?: { perIp: number; window: number };
  /** Where the core reports what operators count (the ops layer exports it as metrics); optional. */
  metrics?: CoreMetrics;
  /** Strangler mode: the account as the legacy site has it now (its password hash), asked at login. */
  legacyAccounts?: LegacyAccountSource;
  /** Where account events are recorded (core/audit/account-events.ts); absent = not recorded. */
  audit?: AuditLog;
  /** The public files folder, where uploaded pictures go; absent = no uploads. */
  publicFiles?: PublicFiles;
  /** Where account events are also posted, through the outbox (the transport signs them); absent = nowhere. */
  webhooks?: ReadonlyArray<{ url: string; events?: string[] }>;
}

export interface LegacyAccountSource {
  /** The account to check the password against: the legacy hash when Drupal changed it since Gatehouse wrote it. */
  atLogin(account: Account): Promise<Account>;
}

/** The deps one request works with: its own view of the store where the store offers one (Store.forRequest). */
export function depsForRequest(deps: CoreDeps): CoreDeps {
  return deps.store.forRequest ? { ...deps, store: deps.store.forRequest() } : deps;
}

/** How a login attempt ended: accepted, wrong credentials, refused by flood control, or a blocked account. */
export type LoginOutcome = 'ok' | 'failed' | 'flood_ip' | 'flood_user' | 'blocked';

/** The counters the core reports to. */
export interface CoreMetrics {
  loginAttempt(outcome: LoginOutcome): void;
}

/** Who is asking, from where, under which site settings. Built once per request by a protocol layer. */
export interface Caller {
  actor: Actor;
  ip: string;
  settings: SiteSettings;
  /** Absolute site base URL (scheme://host[:port][/base]), no trailing slash. */
  baseUrl: string;
  /** Base path ('' at the root, '/drupal' below it). */
  basePath: string;
}

/** A Drupal status/error message (drupal_set_message): stored in the session of an anonymous visitor. */
export interface FlashMessage { type: 'status' | 'error' | 'warning'; text: string }
