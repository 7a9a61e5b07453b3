import { actorFor, PERMISSIONS } from '../auth/permissions.js';
import { recordAccountEvent } from '../audit/account-events.js';
import { phpSerialize } from '../../lib/php-serialize.js';
import { decodeUserData } from './user-data.js';
import type { Caller, CoreDeps, FlashMessage } from '../core-deps.js';
import { domainError, placeholder } from '../errors.js';
import { type Account, can, EMPTY_DATA } from '../model.js';
import { DuplicateAccountError } from '../ports.js';
import { readPasswordInput, validatePassword } from '../validation/password.js';
import { asFormValues, mailElementCheck, nameElementError, validateMailFormLevel, validateNameFormLevel } from './account-input.js';
import { FormErrors } from './form-errors.js';
import { notifiedKinds } from '../mail/account-mailer.js';
import { logintobogganEditValidate } from './logintoboggan.js';
import { itemsChanged, submitFields } from '../fields/field-form.js';
import { pictureChange } from '../fields/picture-update.js';
import { signatureInput } from './signature-input.js';
import { checkedRoleKeys, ILLEGAL_CHOICE, roleSelection, sameRoleSet } from './role-selection.js';
import { timezoneChoice } from './timezone-choice.js';
import { FLOOD_USER_EVENT } from '../auth/flood-control.js';

export interface UpdateResult {
  /** The submitted values, for the echo (Services answers with them, not with a reload). */
  values: Record<string, unknown>;
  account: Account;
  roles: number[];
  /** An administrator submitted `roles` (Services echoes them as sent; they change roles only when some entry is checked). */
  rolesFromInput: boolean;
  /** A new password was saved (Drupal then forgets the one-time login's `pass_reset_<uid>` token). */
  passwordSaved: boolean;
  /** What user_profile_form_submit tells the user (drupal_set_message). */
  message: FlashMessage;
}

/** The users.signature column's length. */
const SIGNATURE_MAX = 255;

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
  const submitted = asFormValues(input);
  const actor = caller.actor;
  const admin = can(actor, PERMISSIONS.administerUsers);
  const own = actor.uid === target.uid;

  if ('name' in submitted && String(submitted.name) !== target.name && !admin && !can(actor, PERMISSIONS.changeOwnUsername)) {
    throw domainError('username_change_denied');
  }
  // Services takes a set `category` out of the values (and the echo); another category's form has none of
  // the account's elements, so nothing of the account changes but `changed`.
  const { category, ...rest } = submitted;
  const echo = category === undefined || category === null ? submitted : rest;
  const values = category === undefined || category === null || String(category) === 'account' ? echo : {};

  const errors = new FormErrors();
  const changes: Partial<Account> = {};
  const pass = 'pass' in values ? readPasswordInput(values.pass) : null;
  const newPass = pass !== null && (pass.pass1 !== '' || pass.pass2 !== '');

  if ('name' in values) { const e = nameElementError(values.name); if (e) errors.set('name', e); }
  if ('mail' in values) { const m = mailElementCheck(values.mail); if (m.error) errors.set('mail', m.error); }
  if (newPass) { const e = validatePassword(pass, { required: false }); if (e) errors.set('pass', e); }
  let roles = await store.roles.rolesOf(target.uid);
  const rolesBefore = roles;
  // Services echoes an administrator's `roles` as sent; the form takes them only when some entry is checked.
  const rolesFromInput = admin && submitted.roles !== undefined && submitted.roles !== null;
  const checked = rolesFromInput ? checkedRoleKeys(values.roles) : null;
  const rolesChange = checked !== null && can(actor, PERMISSIONS.administerPermissions);
  if (rolesChange) {
    const selection = roleSelection(checked, (await store.roles.all()).map((r) => Number(r.rid)));
    if (selection === null) errors.set('roles', ILLEGAL_CHOICE); else roles = selection;
  }
  if ('status' in values && admin) {
    const s = String(values.status);
    if (s === '0' || s === '1') changes.status = Number(s); else errors.set('status', ILLEGAL_CHOICE);
  }

  // Field widgets (element level, after the account elements), then the picture.
  const definitions = await store.fields.definitions();
  const storedFields = definitions.length > 0 ? await store.fields.valuesOf(target.uid) : {};
  const fieldItems = submitFields(definitions, values, storedFields, errors);
  const picture = await pictureChange(store.files, caller.settings, target, values, errors, deps.clock.now(), { uploads: deps.publicFiles !== undefined });
  const timezone = timezoneChoice(caller.settings, target.timezone, own, values);
  if (timezone?.error) errors.set('timezone', ILLEGAL_CHOICE);

  if ('name' in values && String(values.name) !== target.name) await validateNameFormLevel(errors, store.accounts, values.name, target.uid);
  if ('mail' in values) {
    const mail = await validateMailFormLevel(errors, store.accounts, values.mail, { exceptUid: target.uid, anonymous: false, basePath: caller.basePath });
    if (mail !== target.mail) changes.mail = mail;
  }
  // Signatures on: the value must fit the users.signature column (drupal_strlen counts characters).
  const signature = caller.settings.flag('user_signatures') ? signatureInput(values.signature) : null;
  if (signature && [...signature.value].length > SIGNATURE_MAX) {
    errors.set('signature', `The signature is too long: it must be ${placeholder(String(SIGNATURE_MAX))} characters or less.`);
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

  await logintobogganEditValidate(caller.settings, store.accounts, errors, {
    uid: target.uid, name: 'name' in values ? String(values.name) : target.name, mail: changes.mail ?? target.mail, newPass: newPass && pass ? pass.pass1 : null,
  });
  errors.throwIfAny();

  if ('name' in values) changes.name = String(values.name);
  if (newPass && pass) changes.pass = await deps.hasher.hash(pass.pass1);
  if (signature) { changes.signature = signature.value; if (signature.format !== null) changes.signature_format = signature.format; }
  if (picture && !picture.upload) changes.picture = picture.picture;
  if (timezone && timezone.value !== target.timezone) changes.timezone = timezone.value;
  if (typeof values.language === 'string') changes.language = values.language;
  // Saving through the form fills what was never set and stamps the change.
  if (target.signature_format === null && changes.signature_format === undefined) changes.signature_format = caller.settings.string('filter_default_format', 'filtered_html');
  const data = await profileFormData(deps, caller, target, values);
  if (data !== null) changes.data = data;
  else if (target.data === null) changes.data = EMPTY_DATA;
  changes.changed = deps.clock.now();

  const now = deps.clock.now();
  const updated: Account = { ...target, ...changes };
  // An uploaded picture is written first (under a free name), and its row inserted with the account's change.
  const written = picture?.upload ? await deps.publicFiles!.create(picture.upload.uri, picture.upload.bytes) : null;
  const replaced = picture?.deleteFid ? await store.files.byFid(picture.deleteFid) : undefined;
  try {
    await store.transaction(async (tx) => {
      if (picture?.upload && written !== null) {
        const { filename, filemime, bytes } = picture.upload;
        changes.picture = updated.picture = await tx.files.insert({ uid: actor.uid, filename, uri: written, filemime, filesize: bytes.length, status: 1, timestamp: now });
      }
      await tx.accounts.update(target.uid, changes);
      for (const field of definitions) {
        if (itemsChanged(fieldItems[field.name], storedFields[field.name])) await tx.fields.setItems(target.uid, field.name, fieldItems[field.name] ?? []);
      }
      if (picture?.keep) await tx.files.update(picture.keep.fid, picture.keep.patch);
      if (picture?.deleteFid) await tx.files.delete(picture.deleteFid);
      if (rolesChange) await tx.roles.setRoles(target.uid, roles);
      // user_save: blocking an active account ends all its sessions (drupal_session_destroy_uid), whoever blocks it.
      if (changes.status === 0 && target.status !== 0) await tx.sessions.deleteForUser(target.uid);
      // user_profile_form_submit clears the account's failed-login events (identifiers `<uid>-<ip>`).
      await tx.flood.clearPrefix(FLOOD_USER_EVENT, `${target.uid}-`);
      // user_save: a change of status notifies the account (as the site's notify settings say).
      if (changes.status !== undefined && changes.status !== target.status) {
        const mailCtx = { settings: caller.settings, keys: deps.keys, baseUrl: caller.baseUrl, now };
        for (const kind of notifiedKinds(changes.status === 1 ? 'status_activated' : 'status_blocked', caller.settings)) {
          await tx.outbox.enqueue(deps.mailer.compose(kind, updated, mailCtx), now);
        }
      }
    });
  } catch (err) {
    if (written !== null) await deps.publicFiles!.remove(written).catch(() => undefined);
    if (err instanceof DuplicateAccountError) throw domainError('form_errors', { messages: err.field === 'mail' ? 'The e-mail address is already taken.' : 'The name is already taken.' });
    throw err;
  }
  // file_delete: the replaced or removed picture's bytes go too (a file the folder does not hold is no error).
  if (replaced && deps.publicFiles) await deps.publicFiles.remove(replaced.uri).catch(() => undefined);
  await recordEdit(deps, caller, target, updated, { passwordSaved: changes.pass !== undefined, roles: rolesChange && !sameRoleSet(rolesBefore, roles) ? roles : null });
  return { values: echo, account: updated, roles, rolesFromInput, passwordSaved: changes.pass !== undefined, message: { type: 'status', text: 'The changes have been saved.' } };
}

/** The edit's account events: password change, block/unblock, role change, an administrator's edit of another account. */
async function recordEdit(deps: CoreDeps, caller: Caller, before: Account, after: Account, o: { passwordSaved: boolean; roles: number[] | null }): Promise<void> {
  const own = caller.actor.uid === before.uid;
  if (o.passwordSaved) await recordAccountEvent(deps, caller, 'password_change', after, own ? 'own' : 'by an administrator');
  if (after.status !== before.status) await recordAccountEvent(deps, caller, after.status === 0 ? 'block' : 'unblock', after);
  if (o.roles !== null) await recordAccountEvent(deps, caller, 'role_change', after, `roles now: ${o.roles.join(', ') || 'none'}`);
  const changed = (['name', 'mail', 'timezone'] as const).filter((k) => before[k] !== after[k]);
  if (!own && changed.length > 0) await recordAccountEvent(deps, caller, 'admin_edit', after, `changed: ${changed.join(', ')}`);
}

/**
 * Keys other modules keep in users.data through the profile form (Drupal's overlay module stores
 * `overlay`), declared by the site as `gatehouse_profile_data_fields`: [{key, default, permission}].
 * The form saves each one the edited account may use: the submitted value, else the stored one, else the default.
 */
async function profileFormData(deps: CoreDeps, caller: Caller, target: Account, values: Record<string, unknown>): Promise<string | null> {
  const fields = caller.settings.raw('gatehouse_profile_data_fields');
  if (!Array.isArray(fields) || fields.length === 0) return null;
  const owner = await actorFor(deps.store.roles, target);
  const current = decodeUserData(target.data);
  const data: Record<string, unknown> = current !== null && typeof current === 'object' ? { ...(current as Record<string, unknown>) } : {};
  let touched = false;
  for (const f of fields as Array<{ key?: unknown; default?: unknown; permission?: unknown }>) {
    if (typeof f?.key !== 'string' || (typeof f.permission === 'string' && !can(owner, f.permission))) continue;
    data[f.key] = values[f.key] ?? data[f.key] ?? f.default ?? null;
    touched = true;
  }
  return touched ? phpSerialize(data) : null;
}
