import { pino } from 'pino';
import type { Config } from '../config/config.js';
import type { DatabaseHandle } from '../storage/database.js';
import type { LegacyBridge } from './bridged-store.js';
import { LegacyCharset } from './legacy-charset.js';
import { LegacyDatabase } from './legacy-database.js';
import { LegacyFields } from './legacy-fields.js';
import type { LegacyTarget } from './legacy-writes.js';
import { ensureBridgeOutbox, WriteBack, type WriteBackLog } from './write-back.js';

/** The open connection to the legacy site's database, as the bridged store and `bridge check` use it. */
export interface LegacyLink extends LegacyBridge {
  db: LegacyDatabase;
  target: LegacyTarget;
  writeBack: WriteBack;
  close(): Promise<void>;
}


/** PHP truthiness of a variable value. */
const truthy = (v: unknown) => !(v === undefined || v === null || v === false || v === 0 || v === '' || v === '0');

/**
 * Connects to `config.legacy.databaseUrl`, prepares `bridge_outbox` in Gatehouse's database, reads how the
 * legacy site stores session ids, and starts retrying writes left over from earlier runs.
 */
export async function openLegacyLink(config: Config, local: DatabaseHandle, log: WriteBackLog = pino({ level: config.logLevel, name: 'legacy-bridge' })): Promise<LegacyLink> {
  if (!config.legacy.databaseUrl) throw new Error('openLegacyLink: no legacy database configured');
  const db = LegacyDatabase.open(config.legacy.databaseUrl, config.legacy.timeoutMs);
  await ensureBridgeOutbox(local.db, local.dialect);
  let hashedSessionIds = true;
  try {
    hashedSessionIds = truthy(await db.variable('hashed_session_ids_supported'));
    if (!hashedSessionIds) log.warn({}, 'the legacy site stores plain session ids (hashed_session_ids_supported is off): sessions are not shared, accounts are');
  } catch (err) {
    log.warn({ err: (err as Error).message }, 'legacy database unreachable at start; assuming hashed session ids, writes queue in bridge_outbox');
  }
  const target: LegacyTarget = { db, fields: new LegacyFields(db), secureSessions: (config.baseUrl ?? '').startsWith('https://'), hashedSessionIds, warn: (o, m) => log.warn(o, m) };
  const charset = new LegacyCharset(db);
  if (!(await charset.storesFourByteText())) log.warn({}, 'the legacy users table is not utf8mb4: text beyond U+FFFF (emoji) is refused with a 406 instead of failing its write-back');
  const writeBack = new WriteBack(local.db, target, log, config.legacy.retryIntervalMs);
  writeBack.start();
  return {
    db, target, writeBack,
    nextUid: () => db.nextUid(),
    submit: (writes) => writeBack.submit(writes),
    storesFourByteText: () => charset.storesFourByteText(),
    close: async () => { await writeBack.stop(); await db.close(); },
  };
}
