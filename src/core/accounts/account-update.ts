import { PERMISSIONS } from '../auth/permissions.js';
import type { Caller, CoreDeps } from '../core-deps.js';
import { domainError, placeholder } from '../errors.js';
import { type Account, can } from '../model.js';
import { DuplicateAccountError } from '../ports.js';
import { readPasswordInput, validatePassword } from '../validation/password.js';
import { asFormValues, mailElementCheck, nameElementError, validateMailFormLevel, validateNameFormLevel } from './account-input.js';
import { FormErrors } from './form-errors.js';
import { parseRoleSelection, roleKeysOf } from './role-selection.js';

export interface UpdateResult {
  /** The submitted values, for the echo (Services answers with them, not with a reload). */
  values: Record<string, unknown>;
  account: Account;
  roles: number[];
  /** Whether the caller submitted `roles` and was allowed to (their map is echoed as sent). */
  rolesFromInput: boolean;
}

/** Update access: the account's owner, or an administrator. */
export function mayUpdateAccount(caller: Caller, uid: number): boolean {
  return caller.actor.uid === uid || can(caller.actor, PERMISSIONS.administerUsers);
}

/**
 * user_profile_form submitted programmatically (Services' user update): partial updates, the current-password
 * rule for one's own mail or password (waived by a one-time-login token), username-change permission.
 */
export async function updateAccount(
  deps: CoreDeps, caller: Caller, target: Account, input: unknown, o: { passResetVerified: boolean },
): Promise<UpdateResult> {
  const { store } = deps;
  const values = asFormValues(input);
  const actor = caller.actor;
  const admin = can(actor, PERMISSIONS.administerUsers);
  const own = actor.uid === target.uid;

  if ('name' in values && String(values.name) !== target.name && !admin && !can(actor, PERMISSIONS.changeOwnUsername)) {
    throw domainError('username_change_denied');
  }

  const errors = new FormErrors();
  const changes: Partial<Account> = {};
  const pass = 'pass' in values ? readPasswordInput(values.pass) : null;
  const newPass = pass !== null && (pass.pass1 !== '' || pass.pass2 !== '');

  if ('name' in values) { const e = nameElementError(values.name); if (e) errors.set('name', e); }
  if ('mail' in values) { const m = mailElementCheck(values.mail); if (m.error) errors.set('mail', m.error); }
  if (newPass) { const e = validatePassword(pass, { required: false }); if (e) errors.set('pass', e); }
  let roles = await store.roles.rolesOf(target.uid);
  let rolesFromInput = false;
  if ('roles' in values && admin) {
    rolesFromInput = true;
    if (can(actor, PERMISSIONS.administerPermissions)) {
      const all = (await store.roles.all()).map((r) => Number(r.rid));
      const keys = roleKeysOf(values.roles);
      if (parseRoleSelection(Object.fromEntries(keys.map((k) => [k, k])), all) === null) errors.set('roles', 'An illegal choice has been detected. Please contact the site administrator.');
      else roles = keys;
    }
  }
  if ('status' in values && admin) {
    const s = String(values.status);
    if (s === '0' || s === '1') changes.status = Number(s); else errors.set('status', 'An illegal choice has been detected. Please contact the site administrator.');
  }

  // The current-password rule (own account only): the first protected field that changes needs it.
  if (own && !o.passResetVerified) {
    const mailValue = typeof values.mail === 'string' ? values.mail.trim() : values.mail;
    const protectedChange = 'mail' in values && mailValue !== target.mail && String(mailValue ?? '').trim() !== '' ? 'mail' : newPass ? 'pass' : null;
    if (protectedChange) {
      const current = typeof values.current_pass === 'string' ? values.current_pass : '';
      if (current === '' || !(await deps.hasher.verify(current, target.pass))) {
        const title = protectedChange === 'mail' ? 'E-mail address' : 'Password';
        errors.set('current_pass', `Your current password is missing or incorrect; it's required to change the ${placeholder(title)}.`);
        errors.set(protectedChange, '');
      }
    }
  }

  if ('name' in values && String(values.name) !== target.name) await validateNameFormLevel(errors, store.accounts, values.name, target.uid);
  if ('mail' in values) {
    const mail = await validateMailFormLevel(errors, store.accounts, values.mail, { exceptUid: target.uid, anonymous: false, basePath: caller.basePath });
    if (mail !== target.mail) changes.mail = mail;
  }
  errors.throwIfAny();

  if ('name' in values) changes.name = String(values.name);
  if (newPass && pass) changes.pass = await deps.hasher.hash(pass.pass1);
  if ('signature' in values && caller.settings.flag('user_signatures')) changes.signature = String(values.signature ?? '');
  if ('timezone' in values && typeof values.timezone === 'string') changes.timezone = values.timezone;
  if (typeof values.language === 'string') changes.language = values.language;
  // Saving through the form fills what was never set and stamps the change.
  if (target.signature_format === null) changes.signature_format = caller.settings.string('filter_default_format', 'filtered_html');
  if (target.timezone === null && changes.timezone === undefined) changes.timezone = caller.settings.string('date_default_timezone', 'UTC');
  changes.changed = deps.clock.now();

  const now = deps.clock.now();
  const updated: Account = { ...target, ...changes };
  try {
    await store.transaction(async (tx) => {
      await tx.accounts.update(target.uid, changes);
      if (rolesFromInput && can(actor, PERMISSIONS.administerPermissions)) await tx.roles.setRoles(target.uid, roles);
      if (changes.status === 1 && target.status === 0 && caller.settings.flag('user_mail_status_activated_notify')) {
        await tx.outbox.enqueue(deps.mailer.compose('status_activated', updated, { settings: caller.settings, keys: deps.keys, baseUrl: caller.baseUrl, now }), now);
      }
      if (changes.status === 0 && target.status === 1 && caller.settings.flag('user_mail_status_blocked_notify')) {
        await tx.outbox.enqueue(deps.mailer.compose('status_blocked', updated, { settings: caller.settings, keys: deps.keys, baseUrl: caller.baseUrl, now }), now);
      }
    });
  } catch (err) {
    if (err instanceof DuplicateAccountError) throw domainError('form_errors', { messages: 'The name is already taken.' });
    throw err;
  }
  return { values, account: updated, roles, rolesFromInput };
}
