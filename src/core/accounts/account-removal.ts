import type { Caller, CoreDeps } from '../core-deps.js';
import { domainError } from '../errors.js';
import type { Account } from '../model.js';
import type { Store } from '../ports.js';

/** user_delete: the account, its roles, sessions, field values and picture go. uid 1 cannot be deleted. */
export async function deleteAccount(deps: CoreDeps, target: Account): Promise<void> {
  if (target.uid === 1) throw domainError('admin_cannot_be_deleted');
  await deps.store.transaction((tx) => removeAccountRows(tx, target));
}

async function removeAccountRows(tx: Store, target: Account): Promise<void> {
  await tx.sessions.deleteForUser(target.uid);
  await tx.fields.deleteFor(target.uid);
  if (target.picture > 0) await tx.files.delete(target.picture);
  await tx.accounts.delete(target.uid);
}

/** user_cancel with the site's method (user_cancel_method; blocking by default). */
export async function cancelAccount(deps: CoreDeps, caller: Caller, target: Account): Promise<void> {
  if (target.uid === 1) throw domainError('admin_cannot_be_canceled');
  const method = caller.settings.string('user_cancel_method', 'user_cancel_block');
  const notify = caller.settings.flag('user_mail_status_canceled_notify');
  const now = deps.clock.now();
  const mailCtx = { settings: caller.settings, keys: deps.keys, baseUrl: caller.baseUrl, now };
  await deps.store.transaction(async (tx) => {
    // user_cancel invokes hook_user_cancel for every method but deletion (which has hook_user_delete).
    if (method !== 'user_cancel_delete') await tx.content?.userCancel(target.uid, method, caller.actor.uid, now);
    if (method === 'user_cancel_reassign' || method === 'user_cancel_delete') {
      if (notify) await tx.outbox.enqueue(deps.mailer.compose('status_canceled', target, mailCtx), now);
      await removeAccountRows(tx, target);
      return;
    }
    await tx.accounts.update(target.uid, { status: 0 });
    if (notify) await tx.outbox.enqueue(deps.mailer.compose('status_blocked', { ...target, status: 0 }, mailCtx), now);
  });
}
