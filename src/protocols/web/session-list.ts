import type { SessionRecord } from '../../core/model.js';
import { sessionBrowser } from '../session/session-browser.js';
import { dateTime, esc } from './html.js';

/** A row's cells: browser, IP, last seen (HTML-safe). */
export function sessionCells(record: SessionRecord): string[] {
  return [esc(sessionBrowser(record)), esc(record.hostname), dateTime(record.timestamp)];
}

/** A short handle for the session in forms and labels: its stored (hashed) id is not a secret, but long. */
export function sessionLabel(record: SessionRecord): string {
  return record.sid.slice(0, 8);
}
