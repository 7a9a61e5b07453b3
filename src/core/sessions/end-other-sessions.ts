import type { SessionRecord } from '../model.js';
import type { Store } from '../ports.js';

/**
 * After a password change, every session of the account ends except the one making the change (Drupal's
 * user_save on its HTML form: drupal_session_destroy_uid, the current session kept). One transaction: the
 * account's rows go and the current one is written back, so no request sees it missing.
 */
export async function endOtherSessions(store: Store, uid: number, current: SessionRecord | null): Promise<void> {
  await store.transaction(async (tx) => {
    await tx.sessions.deleteForUser(uid);
    if (current && current.uid === uid) await tx.sessions.save(current);
  });
}
