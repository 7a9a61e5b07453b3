import { PERMISSIONS } from './auth/permissions.js';
import { ANONYMOUS_RID, AUTHENTICATED_RID } from './model.js';
import type { Store } from './ports.js';

export const ADMINISTRATOR_RID = 3;

/**
 * What every Drupal 7 site has before anything else: the anonymous row (uid 0), the anonymous and
 * authenticated roles, and — as the standard profile installs — an administrator role with every permission.
 * Idempotent; an imported site keeps its own roles and permissions.
 */
export async function ensureSiteBaseline(store: Store): Promise<void> {
  await store.transaction(async (tx) => {
    const roles = await tx.roles.all();
    if (roles.length === 0) {
      await tx.roles.ensureRole({ rid: ANONYMOUS_RID, name: 'anonymous user', weight: 0 });
      await tx.roles.ensureRole({ rid: AUTHENTICATED_RID, name: 'authenticated user', weight: 1 });
      await tx.roles.ensureRole({ rid: ADMINISTRATOR_RID, name: 'administrator', weight: 2 });
      await tx.roles.grant(ADMINISTRATOR_RID, Object.values(PERMISSIONS));
    }
    if (!(await tx.accounts.byUid(0))) {
      await tx.accounts.insert({
        uid: 0, name: '', pass: '', mail: '', theme: '', signature: '', signature_format: null, created: 0, changed: 0,
        access: 0, login: 0, status: 0, timezone: null, language: '', picture: 0, init: '', data: null,
      });
    }
  });
}
