import type { SessionRecord } from '../core/model.js';
import { within } from './bounded.js';
import type { LegacyTarget } from './legacy-writes.js';

/**
 * Sessions Drupal 7 made (its HTML login form, any path it serves), looked up the way _drupal_session_read()
 * does: by `ssid` on an HTTPS site, else by `sid`, the id hashed by drupal_session_id() (base64url of its
 * SHA-256, as Gatehouse keys sessions), joined to `users` (a session whose account is gone is no session).
 * When the site stores plain ids (hashed_session_ids_supported off) Gatehouse, which keeps only hashes,
 * cannot find them: sessions are not shared there (bridge check says so).
 */
export class LegacySessions {
  constructor(private readonly target: LegacyTarget, private readonly timeoutMs: number) {}

  /** The legacy row for a hashed id, keyed as Gatehouse keys its own; undefined when there is none (throws when it cannot be read in time). */
  async find(sid: string): Promise<SessionRecord | undefined> {
    if (!this.target.hashedSessionIds) return undefined;
    const secure = this.target.secureSessions;
    const rows = await within(this.timeoutMs, this.target.db.execute('read session',
      `SELECT s.uid, s.hostname, s.timestamp, s.cache, s.session FROM sessions s INNER JOIN users u ON u.uid = s.uid WHERE s.${secure ? 'ssid' : 'sid'} = ? LIMIT 1`, [sid]));
    const row = rows[0];
    if (!row) return undefined;
    const data = row.session;
    return {
      sid, ssid: secure ? sid : '', uid: Number(row.uid), hostname: String(row.hostname ?? ''), timestamp: Number(row.timestamp),
      cache: Number(row.cache ?? 0), session: data === null || data === undefined ? '' : Buffer.isBuffer(data) ? data.toString('utf8') : String(data),
    };
  }
}
