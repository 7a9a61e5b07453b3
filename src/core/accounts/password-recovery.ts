import { FLOOD_RESET_IP_EVENT, FLOOD_RESET_USER_EVENT, FloodControl } from '../auth/flood-control.js';
import { recordAccountEvent } from '../audit/account-events.js';
import { randomKey } from '../crypto/random-key.js';
import { safeEqual } from '../crypto/hmac.js';
import type { Caller, CoreDeps } from '../core-deps.js';
import { domainError } from '../errors.js';
import { type AccountMailKind, notifiedKinds } from '../mail/account-mailer.js';
import type { Account } from '../model.js';
import { userPassRehash } from '../one-time-link.js';

/**
 * Queues an account mail as _user_mail_notify sends it (notifiedKinds: the site may have turned it off; a pending
 * approval adds the administrator's copy), written to the outbox for a worker to deliver. False when the
 * notification is off (Drupal's NULL result). A password-reset mail over the per-IP or per-account limit is
 * not queued, and the caller answers as if it were (see resetMailAllowed).
 */
export async function queueAccountMail(deps: CoreDeps, caller: Caller, kind: AccountMailKind, account: Account): Promise<boolean> {
  const kinds = notifiedKinds(kind, caller.settings);
  if (kinds.length === 0) return false;
  if (kind === 'password_reset' && !(await resetMailAllowed(deps, caller, account))) return true;
  const now = deps.clock.now();
  const ctx = { settings: caller.settings, keys: deps.keys, baseUrl: caller.baseUrl, now };
  for (const k of kinds) await deps.store.outbox.enqueue(deps.mailer.compose(k, account, ctx), now);
  return true;
}

/**
 * Limits on reset mails, over the flood table (Drupal's `pass_reset_ip` and `pass_reset_user` events):
 * `user_pass_reset_ip_limit` per `user_pass_reset_ip_window` s from one address (50/h) and
 * `user_pass_reset_user_limit` per `user_pass_reset_user_window` s to one account (5/6 h). Each mail
 * queued counts once for both. Over a limit the mail is dropped silently: the answer stays `[true]`, so a
 * legitimate client sees nothing change and a prober learns nothing; the person still has the earlier mails.
 */
async function resetMailAllowed(deps: CoreDeps, caller: Caller, account: Account): Promise<boolean> {
  const flood = new FloodControl(deps.store.flood, caller.settings, deps.clock.now());
  const uid = String(account.uid);
  if (!(await flood.isAllowed(FLOOD_RESET_IP_EVENT, caller.ip)) || !(await flood.isAllowed(FLOOD_RESET_USER_EVENT, uid))) return false;
  await flood.register(FLOOD_RESET_IP_EVENT, caller.ip);
  await flood.register(FLOOD_RESET_USER_EVENT, uid);
  return true;
}

/** user/request_new_password: a name or an e-mail of an active account gets a one-time login link. */
export async function requestNewPassword(deps: CoreDeps, caller: Caller, nameOrMail: unknown): Promise<boolean> {
  const name = typeof nameOrMail === 'string' ? nameOrMail.trim() : String(nameOrMail ?? '').trim();
  // user_pass_validate: an active account by mail, else an active account by name (legacy duplicate mails: the first active one).
  const account = name === '' ? undefined : (await deps.store.accounts.byMail(name, '=', true)) ?? (await deps.store.accounts.byName(name, '=', true));
  if (!account || account.status !== 1) throw domainError('not_recognized', { name });
  await recordAccountEvent(deps, caller, 'password_reset_request', account, `asked as "${name.slice(0, 60)}"`);
  // Services answers with whether a mail went out: [false] when the site turned the notification off.
  return queueAccountMail(deps, caller, 'password_reset', account);
}

/** The welcome mail the site's registration mode sends (resend_welcome_email). */
export function welcomeMailKind(registerMode: 0 | 1 | 2): AccountMailKind {
  return registerMode === 0 ? 'register_admin_created' : registerMode === 1 ? 'register_no_approval_required' : 'register_pending_approval';
}

export interface PassResetResult { account: Account; token: string; message: string }

export interface PassResetLinkInput { uid: unknown; timestamp: unknown; hashedPass: unknown }

/**
 * user/user_pass_reset: checks a one-time login link in Drupal's order and, when it is valid, marks the
 * account logged in (which invalidates the link) and hands out the token that waives current_pass.
 */
export async function usePassResetLink(deps: CoreDeps, caller: Caller, o: PassResetLinkInput): Promise<PassResetResult> {
  const target = await checkPassResetLink(deps, caller, o);
  // Using the link moves `login` on, which the link's hash covers: of two uses at once only one moves it. In
  // the second of the last login it moves one second on, so that a second use still finds it changed.
  const login = Math.max(deps.clock.now(), target.login + 1);
  if (!(await deps.store.accounts.markLoggedIn(target.uid, target.login, login))) throw domainError('reset_link_used');
  await recordAccountEvent(deps, { ...caller, actor: target }, 'login', target, 'one-time login link');
  return {
    account: { ...target, login },
    token: randomKey(),
    message: 'You have just used your one-time login link. It is no longer necessary to use this link to log in. <strong>Please change your password</strong>.',
  };
}

/**
 * The checks of a one-time login link, in Drupal's order, without using it: the account it is for, or the
 * domain error a visitor should see (logged in, invalid, expired after 24 h, used or superseded by a login).
 */
export async function checkPassResetLink(deps: CoreDeps, caller: Caller, o: PassResetLinkInput): Promise<Account> {
  const now = deps.clock.now();
  const uid = Number(o.uid);
  const timestamp = Number(o.timestamp);
  const target = Number.isInteger(uid) && uid > 0 ? await deps.store.accounts.byUid(uid) : undefined;
  const actor = caller.actor;
  if (actor.uid !== 0) {
    if (actor.uid === uid) throw domainError('reset_logged_in_same', { name: actor.name });
    if (target) throw domainError('reset_logged_in_other', { current: actor.name, target: target.name });
    throw domainError('reset_link_invalid');
  }
  if (!Number.isFinite(timestamp) || timestamp > now || !target || target.status !== 1) throw domainError('access_denied_plain');
  const timeout = caller.settings.int('user_password_reset_timeout', 86400);
  if (target.login !== 0 && now - timestamp > timeout) throw domainError('reset_link_expired');
  const expected = userPassRehash({ passHash: target.pass, timestamp, login: target.login, uid: target.uid, mail: target.mail, privateKey: deps.keys.privateKey, hashSalt: deps.keys.hashSalt });
  if (!(timestamp >= target.login && typeof o.hashedPass === 'string' && safeEqual(o.hashedPass, expected))) throw domainError('reset_link_used');
  return target;
}
