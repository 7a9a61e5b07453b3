import { pino } from 'pino';
import type { Config } from '../config/config.js';
import type { AccountRepository } from '../core/ports.js';
import type { DatabaseHandle } from '../storage/database.js';
import type { LegacyBridge } from './bridged-store.js';
import { LegacyCharset } from './legacy-charset.js';
import { LegacyDatabase } from './legacy-database.js';
import { LegacyFields } from './legacy-fields.js';
import { ensureLegacyPassTable, LegacyPasswords } from './legacy-password.js';
import { LegacySessions } from './legacy-sessions.js';
import type { LegacyTarget } from './legacy-writes.js';
import { ensureBridgeOutbox, WriteBack, type WriteBackLog } from './write-back.js';

/** The open connection to the legacy site's database, as the bridged store and `bridge check` use it. */
export interface LegacyLink extends LegacyBridge {
  db: LegacyDatabase;
  target: LegacyTarget;
  writeBack: WriteBack;
  /** The "legacy hash wins" rule at login. */
  passwords: LegacyPasswords;
  /** Sessions Drupal made, found the way Drupal finds them. */
  sessions: LegacySessions;
  /** The legacy `password_count_log2` variable as read at start (undefined: absent or unreadable). */
  passwordCountLog2: unknown;
  close(): Promise<void>;
}


/** PHP truthiness of a variable value. */
const truthy = (v: unknown) => !(v === undefined || v === null || v === false || v === 0 || v === '' || v === '0');

/**
 * Connects to `config.legacy.databaseUrl`, prepares `bridge_outbox` in Gatehouse's database, reads how the
 * legacy site stores session ids, and starts retrying writes left over from earlier runs.
 */
export async function openLegacyLink(config: Config, local: DatabaseHandle, localAccounts: AccountRepository,
  log: WriteBackLog = pino({ level: config.logLevel, name: 'legacy-bridge' })): Promise<LegacyLink> {
  if (!config.legacy.databaseUrl) throw new Error('openLegacyLink: no legacy database configured');
  const db = LegacyDatabase.open(config.legacy.databaseUrl, config.legacy.timeoutMs);
  await ensureBridgeOutbox(local.db, local.dialect);
  await ensureLegacyPassTable(local.db, local.dialect);
  let hashedSessionIds = true;
  let passwordCountLog2: unknown;
  try {
    // drupal_session_id(): ids are hashed when hashed_session_ids_supported is on and do_not_hash_session_ids off.
    hashedSessionIds = truthy(await db.variable('hashed_session_ids_supported')) && !truthy(await db.variable('do_not_hash_session_ids'));
    passwordCountLog2 = await db.variable('password_count_log2');
    if (!hashedSessionIds) log.warn({}, 'the legacy site stores plain session ids (hashed_session_ids_supported is off): sessions are not shared, accounts are');
  } catch (err) {
    log.warn({ err: (err as Error).message }, 'legacy database unreachable at start; assuming hashed session ids, writes queue in bridge_outbox');
  }
  const target: LegacyTarget = { db, fields: new LegacyFields(db), secureSessions: (config.baseUrl ?? '').startsWith('https://'), hashedSessionIds, warn: (o, m) => log.warn(o, m) };
  const charset = new LegacyCharset(db);
  if (!(await charset.storesFourByteText())) log.warn({}, 'the legacy users table is not utf8mb4: text beyond U+FFFF (emoji) is refused with a 406 instead of failing its write-back');
  const writeBack = new WriteBack(local.db, target, log, config.legacy.retryIntervalMs);
  const passwords = new LegacyPasswords(local.db, db, localAccounts, () => writeBack.hasPending(), config.legacy.timeoutMs);
  target.rememberPass = (uid, pass) => passwords.remember(uid, pass);
  const sessions = new LegacySessions(target, config.legacy.timeoutMs);
  writeBack.start();
  return {
    db, target, writeBack, passwords, passwordCountLog2, sessions,
    findSession: (sid) => sessions.find(sid),
    nextUid: () => db.nextUid(),
    submit: (writes) => writeBack.submit(writes),
    storesFourByteText: () => charset.storesFourByteText(),
    close: async () => { await writeBack.stop(); await db.close(); },
  };
}
