import type { SessionRecord } from '../../core/model.js';
import { decodeSessionData } from '../../core/sessions/session-data.js';
import { describeBrowser } from './user-agent.js';

/** The session key the pages keep the browser's User-Agent under (Drupal's sessions table has no column for it). */
export const USER_AGENT_KEY = 'gatehouse_user_agent';

/** The browser a session was seen with (remembered by the pages), or "Unknown" (API-only or Drupal-made sessions). */
export function sessionBrowser(record: SessionRecord): string {
  let ua: unknown;
  try { ua = decodeSessionData(record.session)[USER_AGENT_KEY]; } catch { ua = undefined; }
  return describeBrowser(typeof ua === 'string' ? ua : '');
}
