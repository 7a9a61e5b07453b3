import type { ConsoleQueries } from '../console/console-queries.js';
import type { Store } from '../ports.js';

/**
 * user_save after a password change: drupal_session_destroy_uid ends every session of the account — here
 * all but `keepSid` (the hashed id of the browser that made the change, which stays logged in). Deleted
 * through the Store, so a legacy site sharing the sessions sees them go too. Returns how many ended.
 */
export async function endOtherSessions(store: Store, queries: ConsoleQueries, uid: number, keepSid: string | null): Promise<number> {
  let ended = 0;
  const page = 500;
  for (;;) {
    const rows = await queries.sessions({ uid, limit: page });
    const batch = rows.filter((s) => s.sid !== keepSid);
    for (const s of batch) await store.sessions.delete(s.sid);
    ended += batch.length;
    // A full page minus the kept one means more may follow; anything shorter was the last.
    if (rows.length < page || batch.length === 0) return ended;
  }
}
