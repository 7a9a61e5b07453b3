import { randomBytes } from 'node:crypto';
import type { CoreDeps } from '../core-deps.js';
import type { Account } from '../model.js';
import { EMPTY_DATA } from '../model.js';
import { validateMail } from '../validation/mail.js';
import { validateUsername } from '../validation/username.js';
import { generatePassword } from './account-input.js';

/** Operator actions (the CLI's `user …` commands), with Drupal's name and mail rules. */
export class AccountAdmin {
  constructor(private readonly deps: CoreDeps) {}

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
    const allRoles = await store.roles.all();
    const rids = (o.roles ?? []).map((r) => {
      const role = allRoles.find((x) => x.name === r || String(x.rid) === r);
      if (!role) problems.push(`unknown role "${r}" (roles: ${allRoles.map((x) => x.name).join(', ')})`);
      return Number(role?.rid);
    });
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
    return { ...account, status };
  }

  async setPassword(nameOrUid: string, password: string): Promise<Account> {
    const account = await this.find(nameOrUid);
    await this.deps.store.accounts.update(account.uid, { pass: await this.deps.hasher.hash(password) });
    return account;
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
