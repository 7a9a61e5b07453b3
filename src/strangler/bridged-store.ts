import type { NewAccount, SessionRecord } from '../core/model.js';
import type { NewManagedFile } from '../core/fields/managed-file.js';
import type { AccountRepository, FieldRepository, FileRepository, RoleRepository, SessionRepository, Store } from '../core/ports.js';
import { accountTextBeyondBmp, itemsBeyondBmp, textBeyondLegacyCharset } from './legacy-charset.js';
import type { CancelMethod } from './legacy-content.js';
import type { LegacyWrite } from './legacy-writes.js';

/** What the bridged store needs from the legacy side. */
export interface LegacyBridge {
  /** A uid from the legacy site's own allocation (db_next_id), so both sides share one uid space. */
  nextUid(): Promise<number>;
  /** A fid from the legacy site's file_managed, taken by writing `file` there as a temporary file (file_save_upload). */
  newFid(file: NewManagedFile): Promise<number>;
  /** Records writes in `bridge_outbox` through `tx`, in the transaction of the change they mirror. */
  record(tx: Store, writes: LegacyWrite[]): Promise<void>;
  /** Delivers what is recorded (after the local transaction has committed; never throws for a legacy failure). */
  deliver(): Promise<void>;
  /** Whether the legacy text columns hold 4-byte UTF-8 (utf8mb4); when not, such text is refused before any write. */
  storesFourByteText(): Promise<boolean>;
  /** A session Drupal made, by its hashed id (undefined: none, or the legacy database cannot say). */
  findSession(sid: string): Promise<SessionRecord | undefined>;
  /**
   * Whether Drupal still has a signed-in session Gatehouse holds. False only when the legacy database answered
   * that the row is gone (Drupal ended it: logout, block, password change, cancel, garbage collection) and no
   * write-back naming it is owed; true when the database cannot say (an outage keeps sessions alive) or the
   * site does not share sessions.
   */
  stillOnDrupal?(session: SessionRecord): Promise<boolean>;
  /** Reads the legacy row of an account into the local store before Gatehouse answers from it (legacy-freshness.ts). */
  freshness?(local: Store): AccountFreshness;
}

/** Brings the local copy of an account up to date with the legacy row (outside transactions). */
export interface AccountFreshness {
  byUid(uid: number): Promise<void>;
  byName(name: string): Promise<void>;
  byMail(mail: string): Promise<void>;
}

/**
 * A write-through decorator over Gatehouse's Store: sessions, accounts, roles and field values written
 * locally are written to the legacy Drupal 7 database too. Each local write and the `bridge_outbox` row of
 * its legacy twin are committed in one local transaction (a crash between them cannot lose the write-back,
 * a failure to record it undoes the change); delivery follows once the outermost transaction has committed
 * (a rolled-back transaction sends nothing). New accounts take their uid from the legacy allocation.
 */
export function createBridgedStore(local: Store, legacy: LegacyBridge): Store {
  return bridge(local, legacy, false, legacy.freshness?.(local) ?? null);
}

/** Runs a local write and records its legacy twins with it. */
type Write = <T>(op: (s: Store) => Promise<T>, twins: (result: T) => LegacyWrite[]) => Promise<T>;

function bridge(local: Store, legacy: LegacyBridge, inTransaction: boolean, fresh: AccountFreshness | null): Store {
  const write: Write = async (op, twins) => {
    if (inTransaction) {
      const result = await op(local);
      await legacy.record(local, twins(result));
      return result;
    }
    const result = await local.transaction(async (tx) => {
      const r = await op(tx);
      await legacy.record(tx, twins(r));
      return r;
    });
    await legacy.deliver();
    return result;
  };
  return {
    ...local,
    sessions: bridgedSessions(local.sessions, legacy, local.accounts, write),
    accounts: bridgedAccounts(local.accounts, legacy, write, inTransaction ? null : fresh),
    roles: bridgedRoles(local.roles, write),
    fields: bridgedFields(local.fields, legacy, write),
    files: bridgedFiles(local.files, legacy, write),
    content: { userCancel: (uid, method, actor, now) => write(async () => undefined, () => [{ kind: 'content.cancel', uid, method: method as CancelMethod, actor, now }]) },
    transaction: async (fn) => {
      const result = await local.transaction((tx) => fn(bridge(tx, legacy, true, fresh)));
      if (!inTransaction) await legacy.deliver();
      return result;
    },
    // A request's view of the local store (PostgreSQL), bridged like the store itself.
    forRequest: local.forRequest ? () => bridge((local.forRequest as () => Store)(), legacy, inTransaction, fresh) : undefined,
  };
}

/**
 * A session id Gatehouse does not know is looked up in the legacy `sessions` table and adopted (copied
 * locally, with its data) when Drupal has it for an account Gatehouse has. A legacy session is deleted only
 * through one Gatehouse knew: an unknown cookie Gatehouse answers with `deleted` never reaches Drupal's row.
 * The other way round, a signed-in session Drupal has ended is ended here at its next use.
 */
function bridgedSessions(repo: SessionRepository, legacy: LegacyBridge, accounts: AccountRepository, write: Write): SessionRepository {
  const adopt = async (sid: string): Promise<SessionRecord | undefined> => {
    let found: SessionRecord | undefined;
    try { found = await legacy.findSession(sid); } catch { return undefined; }
    if (!found || (found.uid > 0 && !(await accounts.byUid(found.uid)))) return undefined;
    await repo.save(found);
    return found;
  };
  return {
    get: async (sid) => {
      const held = await repo.get(sid);
      if (!held) return adopt(sid);
      // A session Drupal ended is ended here too, without a write-back (the legacy row is gone already).
      if (held.uid > 0 && legacy.stillOnDrupal && !(await legacy.stillOnDrupal(held))) {
        await repo.delete(sid);
        return undefined;
      }
      return held;
    },
    collectGarbage: (olderThan) => repo.collectGarbage(olderThan),
    save: (record) => write((s) => s.sessions.save(record), () => [{ kind: 'session.save', record }]),
    rekey: (oldSid, record) => write((s) => s.sessions.rekey(oldSid, record), () => [{ kind: 'session.rekey', oldSid, record }]),
    delete: async (sid) => {
      const known = await repo.get(sid);
      await write((s) => s.sessions.delete(sid), (): LegacyWrite[] => (known ? [{ kind: 'session.delete', sid }] : []));
    },
    deleteForUser: (uid) => write((s) => s.sessions.deleteForUser(uid), () => [{ kind: 'session.deleteForUser', uid }]),
  };
}

function bridgedAccounts(repo: AccountRepository, legacy: LegacyBridge, write: Write, fresh: AccountFreshness | null): AccountRepository {
  return {
    byUid: async (uid) => { await fresh?.byUid(uid); return repo.byUid(uid); },
    byName: async (name, match, activeOnly) => { await fresh?.byName(name); return repo.byName(name, match, activeOnly); },
    byMail: async (mail, match, activeOnly) => { await fresh?.byMail(mail); return repo.byMail(mail, match, activeOnly); },
    // A name or mail an account made on Drupal holds is taken here too (Drupal's own check would refuse it).
    nameTaken: async (name, exceptUid) => { await fresh?.byName(name); return repo.nameTaken(name, exceptUid); },
    mailTaken: async (mail, exceptUid) => { await fresh?.byMail(mail); return repo.mailTaken(mail, exceptUid); },
    list: (query) => repo.list(query),
    insert: async (account: NewAccount) => {
      await refuseUnstorable(legacy, accountTextBeyondBmp(account));
      const uid = account.uid ?? (await legacy.nextUid());
      // uid 0 (the anonymous row) exists on every Drupal site already.
      return write((s) => s.accounts.insert({ ...account, uid }), (inserted): LegacyWrite[] => (inserted === 0 ? [] : [{ kind: 'user.save', account: { ...account, uid: inserted } }]));
    },
    update: async (uid, patch) => {
      await refuseUnstorable(legacy, accountTextBeyondBmp(patch));
      await write((s) => s.accounts.update(uid, patch), () => [{ kind: 'user.update', uid, patch }]);
    },
    markLoggedIn: (uid, expected, now) => write((s) => s.accounts.markLoggedIn(uid, expected, now), (won): LegacyWrite[] => (won ? [{ kind: 'user.update', uid, patch: { login: now } }] : [])),
    delete: (uid) => write((s) => s.accounts.delete(uid), () => [{ kind: 'user.delete', uid }]),
  };
}

function bridgedRoles(repo: RoleRepository, write: Write): RoleRepository {
  return {
    all: () => repo.all(),
    rolesOf: (uid) => repo.rolesOf(uid),
    permissionsOf: (rids) => repo.permissionsOf(rids),
    grant: (rid, permissions) => repo.grant(rid, permissions),
    ensureRole: (role) => repo.ensureRole(role),
    setRoles: (uid, rids) => write((s) => s.roles.setRoles(uid, rids), () => [{ kind: 'roles.set', uid, rids }]),
  };
}

/** Throws the 406 when `column` (a column holding 4-byte text, or null) cannot go to the legacy database. */
async function refuseUnstorable(legacy: LegacyBridge, column: string | null): Promise<void> {
  if (column !== null && !(await legacy.storesFourByteText())) throw textBeyondLegacyCharset(column);
}

function bridgedFields(repo: FieldRepository, legacy: LegacyBridge, write: Write): FieldRepository {
  return {
    definitions: () => repo.definitions(),
    saveDefinition: (definition) => repo.saveDefinition(definition),
    valuesOf: (uid) => repo.valuesOf(uid),
    setItems: async (uid, field, items) => {
      await refuseUnstorable(legacy, itemsBeyondBmp(items) ? field : null);
      await write((s) => s.fields.setItems(uid, field, items), () => [{ kind: 'fields.set', uid, field, items }]);
    },
    deleteFor: (uid) => write((s) => s.fields.deleteFor(uid), () => [{ kind: 'fields.deleteFor', uid }]),
  };
}

/**
 * Pictures: a new file takes its fid from the legacy file_managed (so the two sites never give one fid to two
 * files), written there first as temporary; its row, changes and deletion follow as write-backs.
 */
function bridgedFiles(repo: FileRepository, legacy: LegacyBridge, write: Write): FileRepository {
  return {
    byFid: (fid) => repo.byFid(fid),
    insert: async (file) => {
      const fid = file.fid ?? (await legacy.newFid(file));
      const row = { ...file, fid };
      return write((s) => s.files.insert(row), () => [{ kind: 'file.save', file: row }]);
    },
    update: (fid, patch) => write((s) => s.files.update(fid, patch), () => [{ kind: 'file.update', fid, patch }]),
    delete: (fid) => write((s) => s.files.delete(fid), () => [{ kind: 'file.delete', fid }]),
  };
}
