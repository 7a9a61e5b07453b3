import type { SessionRecord } from '../../core/model.js';
import { decodeSessionData } from '../../core/sessions/session-data.js';
import { dateTime, esc } from './html.js';
import { describeBrowser } from './user-agent.js';
import { USER_AGENT_KEY } from './web-request.js';

/** The browser a session was seen with (remembered by the pages), or "Unknown" (API-only or Drupal-made sessions). */
export function sessionBrowser(record: SessionRecord): string {
  let ua: unknown;
  try { ua = decodeSessionData(record.session)[USER_AGENT_KEY]; } catch { ua = undefined; }
  return describeBrowser(typeof ua === 'string' ? ua : '');
}

/** A row's cells: browser, IP, last seen (HTML-safe). */
export function sessionCells(record: SessionRecord): string[] {
  return [esc(sessionBrowser(record)), esc(record.hostname), dateTime(record.timestamp)];
}

/** A short handle for the session in forms and labels: its stored (hashed) id is not a secret, but long. */
export function sessionLabel(record: SessionRecord): string {
  return record.sid.slice(0, 8);
}
