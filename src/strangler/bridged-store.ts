import type { NewAccount, SessionRecord } from '../core/model.js';
import type { AccountRepository, FieldRepository, RoleRepository, SessionRepository, Store } from '../core/ports.js';
import { accountTextBeyondBmp, itemsBeyondBmp, textBeyondLegacyCharset } from './legacy-charset.js';
import type { LegacyWrite } from './legacy-writes.js';

/** What the bridged store needs from the legacy side. */
export interface LegacyBridge {
  /** A uid from the legacy site's own allocation (db_next_id), so both sides share one uid space. */
  nextUid(): Promise<number>;
  /** Records and delivers writes (after the local write has committed). */
  submit(writes: LegacyWrite[]): Promise<void>;
  /** Whether the legacy text columns hold 4-byte UTF-8 (utf8mb4); when not, such text is refused before any write. */
  storesFourByteText(): Promise<boolean>;
  /** A session Drupal made, by its hashed id (undefined: none, or the legacy database cannot say). */
  findSession(sid: string): Promise<SessionRecord | undefined>;
}

/**
 * A write-through decorator over Gatehouse's Store: sessions, accounts, roles and field values written
 * locally are written to the legacy Drupal 7 database too. Outside a transaction a write is handed over
 * right after the local one; inside one, writes are collected and handed over once it has committed (a
 * rolled-back transaction sends nothing). New accounts take their uid from the legacy allocation.
 */
export function createBridgedStore(local: Store, legacy: LegacyBridge): Store {
  return bridge(local, legacy, null);
}

function bridge(local: Store, legacy: LegacyBridge, pending: LegacyWrite[] | null): Store {
  const emit = async (...writes: LegacyWrite[]) => {
    if (pending) pending.push(...writes);
    else await legacy.submit(writes);
  };
  return {
    ...local,
    sessions: bridgedSessions(local.sessions, legacy, local.accounts, emit),
    accounts: bridgedAccounts(local.accounts, legacy, emit),
    roles: bridgedRoles(local.roles, emit),
    fields: bridgedFields(local.fields, legacy, emit),
    transaction: async (fn) => {
      if (pending) return local.transaction((tx) => fn(bridge(tx, legacy, pending)));
      const collected: LegacyWrite[] = [];
      const result = await local.transaction((tx) => fn(bridge(tx, legacy, collected)));
      await legacy.submit(collected);
      return result;
    },
  };
}

type Emit = (...writes: LegacyWrite[]) => Promise<void>;

/**
 * A session id Gatehouse does not know is looked up in the legacy `sessions` table and adopted (copied
 * locally, with its data) when Drupal has it for an account Gatehouse has. A legacy session is deleted only
 * through one Gatehouse knew: an unknown cookie Gatehouse answers with `deleted` never reaches Drupal's row.
 */
function bridgedSessions(repo: SessionRepository, legacy: LegacyBridge, accounts: AccountRepository, emit: Emit): SessionRepository {
  const adopt = async (sid: string): Promise<SessionRecord | undefined> => {
    let found: SessionRecord | undefined;
    try { found = await legacy.findSession(sid); } catch { return undefined; }
    if (!found || (found.uid > 0 && !(await accounts.byUid(found.uid)))) return undefined;
    await repo.save(found);
    return found;
  };
  return {
    get: async (sid) => (await repo.get(sid)) ?? adopt(sid),
    collectGarbage: (olderThan) => repo.collectGarbage(olderThan),
    save: async (record) => { await repo.save(record); await emit({ kind: 'session.save', record }); },
    rekey: async (oldSid, record) => { await repo.rekey(oldSid, record); await emit({ kind: 'session.rekey', oldSid, record }); },
    delete: async (sid) => {
      const known = await repo.get(sid);
      await repo.delete(sid);
      if (known) await emit({ kind: 'session.delete', sid });
    },
    deleteForUser: async (uid) => { await repo.deleteForUser(uid); await emit({ kind: 'session.deleteForUser', uid }); },
  };
}

function bridgedAccounts(repo: AccountRepository, legacy: LegacyBridge, emit: Emit): AccountRepository {
  return {
    byUid: (uid) => repo.byUid(uid),
    byName: (name, match) => repo.byName(name, match),
    byMail: (mail, match) => repo.byMail(mail, match),
    nameTaken: (name, exceptUid) => repo.nameTaken(name, exceptUid),
    mailTaken: (mail, exceptUid) => repo.mailTaken(mail, exceptUid),
    list: (query) => repo.list(query),
    insert: async (account: NewAccount) => {
      await refuseUnstorable(legacy, accountTextBeyondBmp(account));
      const uid = account.uid ?? (await legacy.nextUid());
      const inserted = await repo.insert({ ...account, uid });
      // uid 0 (the anonymous row) exists on every Drupal site already.
      if (inserted !== 0) await emit({ kind: 'user.save', account: { ...account, uid: inserted } });
      return inserted;
    },
    update: async (uid, patch) => {
      await refuseUnstorable(legacy, accountTextBeyondBmp(patch));
      await repo.update(uid, patch);
      await emit({ kind: 'user.update', uid, patch });
    },
    markLoggedIn: async (uid, expected, now) => {
      const won = await repo.markLoggedIn(uid, expected, now);
      if (won) await emit({ kind: 'user.update', uid, patch: { login: now } });
      return won;
    },
    delete: async (uid) => { await repo.delete(uid); await emit({ kind: 'user.delete', uid }); },
  };
}

function bridgedRoles(repo: RoleRepository, emit: Emit): RoleRepository {
  return {
    all: () => repo.all(),
    rolesOf: (uid) => repo.rolesOf(uid),
    permissionsOf: (rids) => repo.permissionsOf(rids),
    grant: (rid, permissions) => repo.grant(rid, permissions),
    ensureRole: (role) => repo.ensureRole(role),
    setRoles: async (uid, rids) => { await repo.setRoles(uid, rids); await emit({ kind: 'roles.set', uid, rids }); },
  };
}

/** Throws the 406 when `column` (a column holding 4-byte text, or null) cannot go to the legacy database. */
async function refuseUnstorable(legacy: LegacyBridge, column: string | null): Promise<void> {
  if (column !== null && !(await legacy.storesFourByteText())) throw textBeyondLegacyCharset(column);
}

function bridgedFields(repo: FieldRepository, legacy: LegacyBridge, emit: Emit): FieldRepository {
  return {
    definitions: () => repo.definitions(),
    saveDefinition: (definition) => repo.saveDefinition(definition),
    valuesOf: (uid) => repo.valuesOf(uid),
    setItems: async (uid, field, items) => {
      await refuseUnstorable(legacy, itemsBeyondBmp(items) ? field : null);
      await repo.setItems(uid, field, items);
      await emit({ kind: 'fields.set', uid, field, items });
    },
    deleteFor: async (uid) => { await repo.deleteFor(uid); await emit({ kind: 'fields.deleteFor', uid }); },
  };
}
