import { randomBytes } from 'node:crypto';
import { actorFor } from '../auth/permissions.js';
import type { SiteSettings } from '../settings/site-settings.js';
import { recordAccountEvent } from '../audit/account-events.js';
import type { AuditEventName } from '../audit/audit-log.js';
import type { CoreDeps } from '../core-deps.js';
import type { Account, Role } from '../model.js';
import { EMPTY_DATA } from '../model.js';
import { validateMail } from '../validation/mail.js';
import { validateUsername } from '../validation/username.js';
import { generatePassword } from './account-input.js';
import { type CancelMethod, cancelAccount, deleteAccount } from './account-removal.js';

/** Who the audit log names for what is done from the command line: the operator at the machine, no account, no address. */
export const CLI_ACTOR = { actor: { uid: 0, name: 'gatehouse CLI' }, ip: '' };

/** Operator actions (the CLI's `user …` commands), with Drupal's name and mail rules. */
export class AccountAdmin {
  constructor(private readonly deps: CoreDeps) {}

  /** Records an account event as the command line's doing (CLI_ACTOR). */
  event(event: AuditEventName, target: { uid: number; name: string } | null, detail = ''): Promise<void> {
    return recordAccountEvent(this.deps, CLI_ACTOR, event, target, detail);
  }

  /** `accessed`: the account has been used and saved once already, as Drupal's installer leaves uid 1. */
  async add(o: { name: string; mail: string; password: string; roles?: string[]; status?: number; uid?: number; timezone?: string; accessed?: boolean }): Promise<Account> {
    const problems: string[] = [];
    const nameError = validateUsername(o.name);
    if (nameError) problems.push(strip(nameError));
    const mail = validateMail(o.mail);
    if (mail.error) problems.push(strip(mail.error));
    const { store, clock } = this.deps;
    if (!nameError && (await store.accounts.nameTaken(o.name))) problems.push(`The name ${o.name} is already taken.`);
    if (!mail.error && (await store.accounts.mailTaken(mail.value))) problems.push(`The e-mail address ${mail.value} is already taken.`);
    const rids: number[] = [];
    for (const r of o.roles ?? []) {
      try { rids.push(Number((await this.role(r)).rid)); } catch (err) { problems.push((err as Error).message); }
    }
    if (problems.length > 0) throw new Error(problems.join('\n'));
    const now = clock.now();
    const draft = {
      ...(o.uid !== undefined ? { uid: o.uid } : {}), name: o.name, pass: await this.deps.hasher.hash(o.password), mail: mail.value,
      theme: '', signature: '', signature_format: null, created: now, changed: now, access: o.accessed ? now : 0, login: o.accessed ? now : 0, status: o.status ?? 1,
      timezone: o.timezone ?? null, language: '', picture: 0, init: mail.value, data: o.accessed ? EMPTY_DATA : null,
    };
    const uid = await store.transaction(async (tx) => {
      const id = await tx.accounts.insert(draft);
      if (rids.length > 0) await tx.roles.setRoles(id, rids);
      return id;
    });
    await this.event('account_create', { uid, name: o.name }, `status ${draft.status}; roles: ${rids.join(', ') || 'none'}`);
    return { ...draft, uid };
  }

  async find(nameOrUid: string): Promise<Account> {
    const { accounts } = this.deps.store;
    const account = /^\d+$/.test(nameOrUid) ? await accounts.byUid(Number(nameOrUid)) : await accounts.byName(nameOrUid, '=');
    if (!account || account.uid === 0) throw new Error(`no such user: ${nameOrUid}`);
    return account;
  }

  async setStatus(nameOrUid: string, status: 0 | 1): Promise<Account> {
    const account = await this.find(nameOrUid);
    await this.deps.store.accounts.update(account.uid, { status });
    if (status === 0) await this.deps.store.sessions.deleteForUser(account.uid);
    if (status !== account.status) await this.event(status === 0 ? 'block' : 'unblock', account);
    return { ...account, status };
  }

  /** A new password also lifts the account's failed-login lock (its flood events from every ip). */
  async setPassword(nameOrUid: string, password: string): Promise<Account & { floodCleared: number }> {
    const account = await this.find(nameOrUid);
    await this.deps.store.accounts.update(account.uid, { pass: await this.deps.hasher.hash(password) });
    await this.event('password_change', account, 'by an administrator');
    return { ...account, floodCleared: await this.deps.store.flood.clearAccount(account.uid) };
  }

  /** Drupal's name rules (valid, not taken by another account, case-insensitively). */
  async rename(nameOrUid: string, name: string): Promise<{ account: Account; previous: string }> {
    const account = await this.find(nameOrUid);
    const error = validateUsername(name);
    if (error) throw new Error(strip(error));
    if (await this.deps.store.accounts.nameTaken(name, account.uid)) throw new Error(`The name ${name} is already taken.`);
    await this.deps.store.accounts.update(account.uid, { name });
    await this.event('admin_edit', { uid: account.uid, name }, `changed: name (was ${account.name})`);
    return { account: { ...account, name }, previous: account.name };
  }

  /** user_delete: the account with its roles, sessions, field values and picture; uid 1 cannot be deleted. */
  async delete(nameOrUid: string): Promise<Account> {
    const account = await this.find(nameOrUid);
    await deleteAccount(this.deps, account);
    await this.event('cancel', account, 'user_cancel_delete');
    return account;
  }

  /**
   * user_cancel with one of Drupal's methods, as the console's bulk cancel does: the site's mails, its content
   * handling, a blocked account's sessions ended; audited by the core as the command line's doing.
   */
  async cancel(nameOrUid: string, method: CancelMethod, site: { settings: SiteSettings; baseUrl: string }): Promise<string> {
    const account = await this.find(nameOrUid);
    const actor = { ...(await actorFor(this.deps.store.roles, null)), ...CLI_ACTOR.actor };
    const message = await cancelAccount(this.deps, { actor, ip: CLI_ACTOR.ip, settings: site.settings, baseUrl: site.baseUrl, basePath: '' }, account, { method });
    return message.text.replace(/<[^>]+>/g, '');
  }

  /** The account with its role names (the password hash left out). */
  async show(nameOrUid: string): Promise<Omit<Account, 'pass'> & { roles: Record<number, string> }> {
    const { pass: _pass, ...account } = await this.find(nameOrUid);
    const all = await this.deps.store.roles.all();
    const rids = await this.deps.store.roles.rolesOf(account.uid);
    return { ...account, roles: Object.fromEntries(all.filter((r) => rids.includes(Number(r.rid))).map((r) => [r.rid, r.name])) };
  }

  /** Adds (`grant`) or removes a role by name or rid; the built-in anonymous/authenticated roles are not per account. */
  async changeRole(nameOrUid: string, roleName: string, grant: boolean): Promise<{ account: Account; role: Role; changed: boolean }> {
    const account = await this.find(nameOrUid);
    const role = await this.role(roleName);
    if (Number(role.rid) <= 2) throw new Error(`the role "${role.name}" is not granted per account`);
    const rids = await this.deps.store.roles.rolesOf(account.uid);
    const has = rids.includes(Number(role.rid));
    if (has !== grant) {
      await this.deps.store.roles.setRoles(account.uid, grant ? [...rids, Number(role.rid)] : rids.filter((r) => r !== Number(role.rid)));
      await this.event('role_change', account, `${grant ? 'added' : 'removed'} role ${role.rid}`);
    }
    return { account, role, changed: has !== grant };
  }

  async role(nameOrRid: string): Promise<Role> {
    const all = await this.deps.store.roles.all();
    const role = all.find((x) => x.name === nameOrRid || String(x.rid) === nameOrRid);
    if (!role) throw new Error(`unknown role "${nameOrRid}" (roles: ${all.map((x) => x.name).join(', ')})`);
    return role;
  }

  /** A new role with the next free rid (Drupal's role table is keyed by an increasing rid). */
  async createRole(name: string): Promise<Role> {
    const trimmed = name.trim();
    if (trimmed === '' || trimmed.length > 64) throw new Error('a role name is 1 to 64 characters');
    const all = await this.deps.store.roles.all();
    if (all.some((r) => r.name.toLowerCase() === trimmed.toLowerCase())) throw new Error(`The role name ${trimmed} already exists. Choose another role name.`);
    const role = { rid: Math.max(0, ...all.map((r) => Number(r.rid))) + 1, name: trimmed, weight: Math.max(0, ...all.map((r) => Number(r.weight))) + 1 };
    await this.deps.store.roles.ensureRole(role);
    return role;
  }

  async list(limit = 100): Promise<Record<string, unknown>[]> {
    return this.deps.store.accounts.list({ fields: ['uid', 'name', 'mail', 'status', 'created'], conditions: [], orderBy: [{ column: 'uid', direction: 'ASC' }], offset: 0, limit });
  }

  /** The first start of an empty site: creates uid 1 `admin` with a random password, returned to print once. */
  async ensureFirstAdmin(mail: string): Promise<{ name: string; password: string } | null> {
    if (await this.deps.store.accounts.byUid(1)) return null;
    const password = generatePassword(randomBytes, 16);
    await this.add({ uid: 1, name: 'admin', mail, password, roles: ['administrator'] });
    return { name: 'admin', password };
  }
}

const strip = (html: string) => html.replace(/<[^>]*>/g, '');
