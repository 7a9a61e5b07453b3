import { hashSessionId, newSessionId } from '../crypto/session-id.js';
import type { SessionRecord } from '../model.js';
import type { SessionRepository } from '../ports.js';

/**
 * Drupal 7 sessions over the sessions table. Clients hold the raw id; the table holds only its hash.
 * Sessions are lazy: a row exists only after a login or once something was stored for a visitor.
 */
export class SessionManager {
  constructor(private readonly repo: SessionRepository) {}

  /** The row for a raw id, if any. */
  async find(rawSid: string): Promise<SessionRecord | undefined> {
    if (!/^[A-Za-z0-9_-]{1,128}$/.test(rawSid)) return undefined;
    return this.repo.get(hashSessionId(rawSid));
  }

  /**
   * Starts a session for `uid` under a fresh id, dropping `previousRawSid`'s row (drupal_session_regenerate).
   * Over HTTPS Drupal 7 (without mixed mode) keeps the id in both `sid` and `ssid`: `secure` does the same.
   */
  async regenerate(o: { previousRawSid: string | null; uid: number; hostname: string; now: number; data?: string; secure?: boolean }): Promise<string> {
    const rawSid = newSessionId();
    const sid = hashSessionId(rawSid);
    const record: SessionRecord = { sid, ssid: o.secure ? sid : '', uid: o.uid, hostname: o.hostname, timestamp: o.now, cache: 0, session: o.data ?? '' };
    if (o.previousRawSid) await this.repo.rekey(hashSessionId(o.previousRawSid), record);
    else await this.repo.save(record);
    return rawSid;
  }

  /** Writes a session row under an id the client already holds (an anonymous session coming into being). */
  async write(o: { rawSid: string; uid: number; hostname: string; now: number; data: string; secure?: boolean }): Promise<void> {
    const sid = hashSessionId(o.rawSid);
    await this.repo.save({ sid, ssid: o.secure ? sid : '', uid: o.uid, hostname: o.hostname, timestamp: o.now, cache: 0, session: o.data });
  }

  /** Refreshes the row's timestamp (Drupal writes at most every `interval` seconds). */
  async touch(record: SessionRecord, now: number, interval = 180): Promise<boolean> {
    if (now - record.timestamp <= interval) return false;
    await this.repo.save({ ...record, timestamp: now });
    return true;
  }

  async destroy(rawSid: string): Promise<void> {
    await this.repo.delete(hashSessionId(rawSid));
  }

  async destroyForUser(uid: number): Promise<void> {
    await this.repo.deleteForUser(uid);
  }

  /** Removes sessions idle longer than `maxIdle` seconds; safe to run on every instance at once. */
  async collectGarbage(now: number, maxIdle: number): Promise<number> {
    return this.repo.collectGarbage(now - maxIdle);
  }
}
