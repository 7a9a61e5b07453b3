import { pino } from 'pino';
import type { Config } from '../config/config.js';
import type { AccountRepository } from '../core/ports.js';
import type { DatabaseHandle } from '../storage/database.js';
import { kyselyOf } from '../storage/kysely-store.js';
import type { LegacyBridge } from './bridged-store.js';
import { LegacyCharset } from './legacy-charset.js';
import { LegacyContent } from './legacy-content.js';
import { LegacyDatabase } from './legacy-database.js';
import { LegacyFields } from './legacy-fields.js';
import { LegacyFiles } from './legacy-files.js';
import { LegacyFreshness } from './legacy-freshness.js';
import { LegacyHealth } from './legacy-health.js';
import { ensureLegacyPassTable, LegacyPasswords } from './legacy-password.js';
import { LegacySessions } from './legacy-sessions.js';
import type { LegacyTarget } from './legacy-writes.js';
import { ensureBridgeOutbox, WriteBack, type WriteBackLog } from './write-back.js';

/** The open connection to the legacy site's database, as the bridged store and `bridge check` use it. */
export interface LegacyLink extends LegacyBridge {
  db: LegacyDatabase;
  /** Up, down or not known yet; `health.probe()` reads the site's session and password settings and tells which. */
  health: LegacyHealth;
  target: LegacyTarget;
  writeBack: WriteBack;
  /** The "legacy hash wins" rule at login. */
  passwords: LegacyPasswords;
  /** Sessions Drupal made, found the way Drupal finds them. */
  sessions: LegacySessions;
  /** The legacy `password_count_log2` variable once the probe has read it (undefined: absent, unread or unreadable). */
  passwordCountLog2: unknown;
  close(): Promise<void>;
}


/** PHP truthiness of a variable value. */
const truthy = (v: unknown) => !(v === undefined || v === null || v === false || v === 0 || v === '' || v === '0');

/**
 * Connects to `config.legacy.databaseUrl` (lazily: nothing waits for it here), prepares `bridge_outbox` and
 * `bridge_legacy_pass` in Gatehouse's database and starts retrying writes left over from earlier runs.
 * `health.probe()` then reads how the legacy site stores session ids and hashes passwords; the server runs
 * it in the background once it is up.
 */
export async function openLegacyLink(config: Config, local: DatabaseHandle, localAccounts: AccountRepository,
  log: WriteBackLog = pino({ level: config.logLevel, name: 'legacy-bridge' })): Promise<LegacyLink> {
  if (!config.legacy.databaseUrl) throw new Error('openLegacyLink: no legacy database configured');
  // Until the probe has read it, the site is taken to store hashed ids (Drupal 7.10x's default).
  const health: LegacyHealth = new LegacyHealth(async () => {
    // drupal_session_id(): ids are hashed when hashed_session_ids_supported is on and do_not_hash_session_ids off.
    const hashed = truthy(await db.variable('hashed_session_ids_supported')) && !truthy(await db.variable('do_not_hash_session_ids'));
    link.passwordCountLog2 = await db.variable('password_count_log2');
    if (!hashed && target.hashedSessionIds) log.warn({}, 'the legacy site stores plain session ids (hashed_session_ids_supported is off): sessions are not shared, accounts are');
    target.hashedSessionIds = hashed;
    if (!(await charset.storesFourByteText())) log.warn({}, 'the legacy users table is not utf8mb4: text beyond U+FFFF (emoji) is refused with a 406 instead of failing its write-back');
  }, log, config.legacy.retryIntervalMs);
  const db = LegacyDatabase.open(config.legacy.databaseUrl, config.legacy.timeoutMs, health);
  await ensureBridgeOutbox(local.db, local.dialect);
  await ensureLegacyPassTable(local.db, local.dialect);
  const target: LegacyTarget = { db, fields: new LegacyFields(db), files: new LegacyFiles(db), content: new LegacyContent(db), secureSessions: (config.baseUrl ?? '').startsWith('https://'), hashedSessionIds: true, warn: (o, m) => log.warn(o, m) };
  const charset = new LegacyCharset(db);
  const writeBack = new WriteBack(local.db, target, log, config.legacy.retryIntervalMs);
  const passwords = new LegacyPasswords(local.db, db, localAccounts, () => writeBack.hasPending(), config.legacy.timeoutMs);
  target.rememberPass = (uid, pass) => passwords.remember(uid, pass);
  const sessions = new LegacySessions(target, config.legacy.timeoutMs);
  writeBack.start();
  const link: LegacyLink = {
    db, target, writeBack, health, passwords, sessions, passwordCountLog2: undefined,
    findSession: (sid) => (health.down ? Promise.resolve(undefined) : sessions.find(sid)),
    stillOnDrupal: async (session) => {
      if (health.down || !target.hashedSessionIds) return true;
      try {
        if (await sessions.find(session.sid)) return true;
      } catch { return true; }
      return writeBack.pendingForSession(session.sid, { refusedToo: true });
    },
    nextUid: () => (health.down ? Promise.reject(health.unavailable()) : db.nextUid()),
    newFid: (file) => (health.down ? Promise.reject(health.unavailable()) : target.files.insertTemporary(file)),
    record: async (tx, writes) => {
      const db = kyselyOf(tx);
      if (!db) throw new Error('the bridged store needs a Kysely store to record write-backs in its transaction');
      await writeBack.record(db, writes);
    },
    // While the database is known down the retry timer delivers; a request does not wait for a connect timeout.
    deliver: () => (health.down ? Promise.resolve() : writeBack.drain()),
    storesFourByteText: () => charset.storesFourByteText(),
    freshness: (store) => new LegacyFreshness(store, { db, owes: (uid) => writeBack.owes(uid), available: () => !health.down, warn: (o, m) => log.warn(o, m) }),
    close: async () => { health.stop(); await writeBack.stop(); await db.close(); },
  };
  return link;
}
