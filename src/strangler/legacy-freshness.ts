import type { Account } from '../core/model.js';
import { DuplicateAccountError, type Store } from '../core/ports.js';
import { toUser } from '../import/drupal7/users.js';
import type { LegacyDatabase } from './legacy-database.js';

/** What Gatehouse reads afresh from the legacy row of an account. */
const SYNCED = ['name', 'mail', 'status'] as const;

export interface FreshnessDeps {
  db: LegacyDatabase;
  /** Whether Gatehouse still owes the legacy database a write for this uid (its own change is newer). */
  owes(uid: number): Promise<boolean>;
  /** False while the legacy database is known down: Gatehouse answers from its own copy without waiting. */
  available(): boolean;
  warn(obj: object, msg: string): void;
  /**
   * Hook for the password hash (issue 12 part A): given the local account and the legacy row, the hash
   * Gatehouse should hold from now on, or undefined to keep its own. Without it the local hash is kept.
   */
  legacyHash?: (local: Account, legacy: Account) => string | undefined;
}

/**
 * Freshness from the legacy site while bridged: before Gatehouse answers from an account (at login — by name
 * or mail — and at session start and retrieval — by uid), the legacy `users` row and its `users_roles` are
 * read, and what Drupal changed on its own pages (status, name, mail, roles; an account created there) is
 * copied into Gatehouse's database first. A uid with a write-back still owed to the legacy database keeps
 * Gatehouse's value (it is the newer one). When the legacy database does not answer, Gatehouse's row is used.
 */
export class LegacyFreshness {
  constructor(private readonly local: Store, private readonly deps: FreshnessDeps) {}

  byUid(uid: number): Promise<void> {
    return uid > 0 ? this.refresh('uid', uid) : Promise.resolve();
  }

  byName(name: string): Promise<void> {
    return name === '' ? Promise.resolve() : this.refresh('name', name);
  }

  byMail(mail: string): Promise<void> {
    return mail === '' ? Promise.resolve() : this.refresh('mail', mail);
  }

  private async refresh(column: 'uid' | 'name' | 'mail', value: string | number): Promise<void> {
    if (!this.deps.available()) return;
    let legacy: Account[];
    let roles: Map<number, number[]>;
    try {
      legacy = (await this.deps.db.execute(`read users by ${column}`, `SELECT * FROM users WHERE ${column} = ? AND uid > 0`, [value])).map((r) => toUser(r));
      if (legacy.length === 0) return;
      roles = await this.legacyRoles(legacy.map((a) => a.uid));
    } catch (err) {
      this.deps.warn({ err: (err as Error).message }, 'legacy database unreadable: Gatehouse answers from its own copy of the account');
      return;
    }
    for (const account of legacy) await this.apply(account, roles.get(account.uid) ?? []);
  }

  private async legacyRoles(uids: number[]): Promise<Map<number, number[]>> {
    const rows = await this.deps.db.execute('read users_roles', `SELECT uid, rid FROM users_roles WHERE uid IN (${uids.map(() => '?').join(', ')}) ORDER BY rid`, uids);
    const out = new Map<number, number[]>();
    for (const r of rows) out.set(Number(r.uid), [...(out.get(Number(r.uid)) ?? []), Number(r.rid)]);
    return out;
  }

  private async apply(legacy: Account, rids: number[]): Promise<void> {
    const { local } = this;
    const mine = await local.accounts.byUid(legacy.uid);
    const patch: Partial<Account> = {};
    if (mine) {
      for (const k of SYNCED) if (mine[k] !== legacy[k]) (patch as Record<string, unknown>)[k] = legacy[k];
      const pass = this.deps.legacyHash?.(mine, legacy);
      if (pass !== undefined && pass !== mine.pass) patch.pass = pass;
    }
    const ours = mine ? await local.roles.rolesOf(legacy.uid) : [];
    const rolesDiffer = ours.join(',') !== rids.join(',');
    if (mine && Object.keys(patch).length === 0 && !rolesDiffer) return;
    if (await this.deps.owes(legacy.uid)) return;
    const copy = async (sharedMail: boolean): Promise<void> => {
      if (!mine) await local.accounts.insert({ ...legacy, sharedMail });
      else if (Object.keys(patch).length > 0) await local.accounts.update(legacy.uid, { ...patch, sharedMail });
    };
    try {
      // An address another account also holds is a legacy duplicate (user_save allowed them): kept, marked shared.
      await copy(false).catch((err) => { if (err instanceof DuplicateAccountError && err.field === 'mail') return copy(true); throw err; });
    } catch (err) {
      if (!(err instanceof DuplicateAccountError)) throw err;
      this.deps.warn({ uid: legacy.uid, name: legacy.name }, 'an account of the legacy site has a name or mail another Gatehouse account holds: not copied (see bridge check)');
      return;
    }
    // user_save() ends a blocked account's sessions on Drupal's side; its Gatehouse sessions end too.
    if (mine && patch.status === 0) await local.sessions.deleteForUser(legacy.uid);
    if (rolesDiffer) {
      await this.ensureRoles(rids);
      await local.roles.setRoles(legacy.uid, rids);
    }
  }

  /** A role created on the legacy site (a rid Gatehouse lacks) is created with its name and weight. */
  private async ensureRoles(rids: number[]): Promise<void> {
    const known = new Set((await this.local.roles.all()).map((r) => Number(r.rid)));
    const missing = rids.filter((rid) => !known.has(rid));
    if (missing.length === 0) return;
    const rows = await this.deps.db.execute('read role', `SELECT rid, name, weight FROM role WHERE rid IN (${missing.map(() => '?').join(', ')})`, missing);
    for (const r of rows) await this.local.roles.ensureRole({ rid: Number(r.rid), name: String(r.name), weight: Number(r.weight) });
  }
}
