import type { Caller, CoreDeps, FlashMessage } from '../core-deps.js';
import { recordAccountEvent } from '../audit/account-events.js';
import { domainError, placeholder } from '../errors.js';
import type { Account } from '../model.js';
import type { Store } from '../ports.js';
import { phpTruthy } from '../../lib/php-values.js';
import { type AccountMailKind, notifiedKinds } from '../mail/account-mailer.js';
import { decodeUserData } from './user-data.js';

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

/** Drupal's account cancellation methods (user_cancel_methods), the administrator's choice on the people page. */
export const CANCEL_METHODS = ['user_cancel_block', 'user_cancel_block_unpublish', 'user_cancel_reassign', 'user_cancel_delete'] as const;
export type CancelMethod = typeof CANCEL_METHODS[number];

/**
 * Services' user cancel: _user_cancel with the site's method (user_cancel_method; blocking by default). The
 * notify flag is the account's `data['user_cancel_notify']` if set, else `user_mail_status_canceled_notify`.
 * Blocking: with the flag on, "account blocked" goes out through _user_mail_notify (so only when
 * `user_mail_status_blocked_notify` is on too); then user_save blocks the account (stamping `changed`), and a
 * change of status notifies once more under the same setting and ends the account's sessions. Deleting: with the flag on, "account canceled"
 * (under `user_mail_status_canceled_notify`), then the account goes.
 */
export async function cancelAccount(deps: CoreDeps, caller: Caller, target: Account, o: { method?: CancelMethod } = {}): Promise<FlashMessage> {
  if (target.uid === 1) throw domainError('admin_cannot_be_canceled');
  const { settings } = caller;
  const method = o.method ?? settings.string('user_cancel_method', 'user_cancel_block');
  const data = decodeUserData(target.data);
  const own = data !== null && typeof data === 'object' ? (data as Record<string, unknown>).user_cancel_notify : undefined;
  const notify = own !== undefined && own !== null ? phpTruthy(own) : settings.flag('user_mail_status_canceled_notify');
  const now = deps.clock.now();
  const mailCtx = { settings, keys: deps.keys, baseUrl: caller.baseUrl, now };
  const deleting = method === 'user_cancel_reassign' || method === 'user_cancel_delete';
  await deps.store.transaction(async (tx) => {
    // user_cancel invokes hook_user_cancel for every method but deletion (which has hook_user_delete).
    if (method !== 'user_cancel_delete') await tx.content?.userCancel(target.uid, method, caller.actor.uid, now);
    const send = async (kinds: AccountMailKind[], account: Account) => {
      for (const kind of kinds) await tx.outbox.enqueue(deps.mailer.compose(kind, account, mailCtx), now);
    };
    if (deleting) {
      if (notify) await send(notifiedKinds('status_canceled', settings), target);
      await removeAccountRows(tx, target);
      return;
    }
    if (notify) await send(notifiedKinds('status_blocked', settings), target);
    const blocked = { ...target, status: 0, changed: now };
    await tx.accounts.update(target.uid, { status: 0, changed: now });
    if (target.status !== 0) {
      // user_save's change of status: the blocked account is logged out everywhere, and told (per the settings).
      await tx.sessions.deleteForUser(target.uid);
      await send(notifiedKinds('status_blocked', settings), blocked);
    }
  });
  await recordAccountEvent(deps, caller, 'cancel', target, method);
  // _user_cancel's drupal_set_message (kept in the canceller's session).
  return { type: 'status', text: `${placeholder(target.name)} has been ${deleting ? 'deleted' : 'disabled'}.` };
}
