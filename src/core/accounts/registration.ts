import { randomBytes } from 'node:crypto';
import { recordAccountEvent } from '../audit/account-events.js';
import { phpTruthy } from '../../lib/php-values.js';
import { PERMISSIONS } from '../auth/permissions.js';
import type { Caller, CoreDeps, FlashMessage } from '../core-deps.js';
import { type AccountMailKind, notifiedKinds } from '../mail/account-mailer.js';
import { type Account, can, EMPTY_DATA } from '../model.js';
import { DuplicateAccountError } from '../ports.js';
import { domainError, escapeHtml, placeholder } from '../errors.js';
import { readPasswordInput, validatePassword } from '../validation/password.js';
import { asFormValues, generatePassword, mailElementCheck, mailTakenMessage, nameElementError, validateMailFormLevel, validateNameFormLevel } from './account-input.js';
import { FormErrors } from './form-errors.js';
import { registrationTimezone } from './timezone-choice.js';
import { logintobogganRegisterValidate } from './logintoboggan.js';
import { submitFields } from '../fields/field-form.js';
import { ILLEGAL_CHOICE, parseRoleSelection } from './role-selection.js';

export interface RegistrationResult {
  account: Account;
  /** The new account is to be logged in (anonymous visitor, active, no e-mail verification). */
  logIn: boolean;
  /** Messages Drupal leaves in the visitor's session. */
  messages: FlashMessage[];
}

/** Create/register access: anonymous visitors when registration is open, or administrators. */
export function mayCreateAccount(caller: Caller): boolean {
  if (can(caller.actor, PERMISSIONS.administerUsers)) return true;
  return caller.actor.uid === 0 && caller.settings.registerMode !== 0;
}

/** Flood event of accepted anonymous registrations, per client address (Gatehouse's, not Drupal's). */
export const FLOOD_REGISTER_IP_EVENT = 'gatehouse_register_ip';

/** user_register_form submitted programmatically, as Services' user create/register does it. */
export async function registerAccount(deps: CoreDeps, caller: Caller, input: unknown): Promise<RegistrationResult> {
  const { store, clock } = deps;
  const values = asFormValues(input);
  const admin = can(caller.actor, PERMISSIONS.administerUsers);
  const anonymous = caller.actor.uid === 0;
  const settings = caller.settings;
  const errors = new FormErrors();
  const limit = anonymous && deps.registrationLimit && deps.registrationLimit.perIp > 0 ? deps.registrationLimit : null;
  if (limit && (await store.flood.count(FLOOD_REGISTER_IP_EVENT, caller.ip, clock.now() - limit.window)) >= limit.perIp) {
    throw domainError('flood_register');
  }

  // Element-level validation, in form order.
  const nameError = nameElementError(values.name);
  if (nameError) errors.set('name', nameError);
  const mailCheck = mailElementCheck(values.mail);
  if (mailCheck.error) errors.set('mail', mailCheck.error);
  const passwordField = admin || !settings.emailVerification;
  let password = '';
  if (passwordField) {
    const pass = readPasswordInput(values.pass);
    const passError = validatePassword(pass, { required: true });
    if (passError) errors.set('pass', passError);
    password = pass?.pass1 ?? '';
  } else {
    password = generatePassword(randomBytes);
  }
  let status = settings.registerMode === 1 ? 1 : 0;
  let roles: number[] = [];
  if (admin) {
    status = 1;
    if (values.status !== undefined && values.status !== null) {
      const s = String(values.status);
      if (s === '0' || s === '1') status = Number(s); else errors.set('status', ILLEGAL_CHOICE);
    }
    if (can(caller.actor, PERMISSIONS.administerPermissions) && values.roles !== undefined) {
      const all = await store.roles.all();
      const selection = parseRoleSelection(values.roles, all.map((r) => Number(r.rid)));
      if (selection === null) errors.set('roles', ILLEGAL_CHOICE); else roles = selection;
    }
  }

  // Field widgets on the registration form (element level, after the account elements).
  const definitions = (await store.fields.definitions()).filter((f) => f.onRegister);
  const fieldItems = submitFields(definitions, values, {}, errors);
  const timezone = registrationTimezone(settings, values, anonymous);
  if (timezone.error) errors.set('timezone', ILLEGAL_CHOICE);

  // Form-level validation.
  await validateNameFormLevel(errors, store.accounts, values.name);
  const mail = await validateMailFormLevel(errors, store.accounts, values.mail, { anonymous, basePath: caller.basePath });
  await logintobogganRegisterValidate(settings, store.accounts, errors, values, { admin });
  errors.throwIfAny();

  const now = clock.now();
  const hash = await deps.hasher.hash(password.trim());
  const name = String(values.name);
  const draft = {
    name, pass: hash, mail, theme: '', signature: '', signature_format: settings.string('filter_default_format', 'filtered_html'),
    created: now, changed: now, access: 0, login: 0, status, timezone: timezone.value,
    language: '', picture: 0, init: mail, data: EMPTY_DATA,
  };
  const notify = admin && phpTruthy(values.notify);
  // user_register_submit's branches, each through _user_mail_notify (the site may have turned a mail off).
  const kind: AccountMailKind | null = admin ? (notify ? 'register_admin_created' : null)
    : status === 1 ? 'register_no_approval_required' : 'register_pending_approval';
  const kinds = kind === null ? [] : notifiedKinds(kind, settings);

  let account: Account;
  try {
    account = await store.transaction(async (tx) => {
      const uid = await tx.accounts.insert(draft);
      if (roles.length > 0) await tx.roles.setRoles(uid, roles);
      for (const field of definitions) {
        const items = fieldItems[field.name] ?? [];
        if (items.length > 0) await tx.fields.setItems(uid, field.name, items);
      }
      const created: Account = { ...draft, uid };
      const mailCtx = { settings, keys: deps.keys, baseUrl: caller.baseUrl, now, password: passwordField ? undefined : password };
      for (const kind of kinds) await tx.outbox.enqueue(deps.mailer.compose(kind, created, mailCtx), now);
      if (limit) await tx.flood.register(FLOOD_REGISTER_IP_EVENT, caller.ip, now, limit.window, limit.perIp);
      return created;
    });
  } catch (err) {
    if (err instanceof DuplicateAccountError) throw lostRace(err, { name, mail, anonymous, basePath: caller.basePath });
    throw err;
  }

  if (admin) await recordAccountEvent(deps, caller, 'account_create', account, `status ${status}; roles: ${roles.join(', ') || 'none'}`);
  else await recordAccountEvent(deps, caller, 'register', account, status === 1 ? 'active' : 'pending approval');
  const logIn = anonymous && status === 1 && !settings.emailVerification;
  const link = `<a href="${escapeHtml(`${caller.basePath}/user/${account.uid}`)}">${placeholder(account.name)}</a>`;
  const messages: FlashMessage[] = [{ type: 'status', text: messageFor({ admin, notify, logIn, status, link }) }];
  return { account, logIn, messages };
}

/** A registration that lost a race for its name or mail gets the message the form check would have given. */
function lostRace(err: DuplicateAccountError, o: { name: string; mail: string; anonymous: boolean; basePath: string }): Error {
  const lost = new FormErrors();
  if (err.field === 'mail') lost.set('mail', mailTakenMessage(o.mail, o));
  else lost.set('name', `The name ${placeholder(o.name)} is already taken.`);
  return lost.toError();
}

/** user_register_submit's drupal_set_message, by branch. */
function messageFor(o: { admin: boolean; notify: boolean; logIn: boolean; status: number; link: string }): string {
  if (o.admin && !o.notify) return `Created a new user account for ${o.link}. No e-mail has been sent.`;
  if (o.logIn) return 'Registration successful. You are now logged in.';
  if (o.notify) return `A welcome message with further instructions has been e-mailed to the new user ${o.link}.`;
  if (o.status === 1) return 'A welcome message with further instructions has been sent to your e-mail address.';
  return 'Thank you for applying for an account. Your account is currently pending approval by the site administrator.<br />In the meantime, a welcome message with further instructions has been sent to your e-mail address.';
}

