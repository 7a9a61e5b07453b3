import type { FieldItem } from '../core/fields/field-definition.js';
import type { ManagedFile } from '../core/fields/managed-file.js';
import type { Account, SessionRecord } from '../core/model.js';
import type { CancelMethod, LegacyContent } from './legacy-content.js';
import type { LegacyDatabase } from './legacy-database.js';
import type { LegacyFields } from './legacy-fields.js';
import type { LegacyFiles } from './legacy-files.js';

/** One change Gatehouse made that the legacy database must receive too (kept as JSON in `bridge_outbox`). */
export type LegacyWrite =
  | { kind: 'session.save'; record: SessionRecord }
  | { kind: 'session.rekey'; oldSid: string; record: SessionRecord }
  | { kind: 'session.delete'; sid: string }
  | { kind: 'session.deleteForUser'; uid: number }
  | { kind: 'user.save'; account: Account }
  | { kind: 'user.update'; uid: number; patch: Partial<Account> }
  | { kind: 'user.delete'; uid: number }
  | { kind: 'content.cancel'; uid: number; method: CancelMethod; actor: number; now: number }
  | { kind: 'roles.set'; uid: number; rids: number[] }
  | { kind: 'fields.set'; uid: number; field: string; items: FieldItem[] }
  | { kind: 'fields.deleteFor'; uid: number }
  | { kind: 'file.save'; file: ManagedFile }
  | { kind: 'file.update'; fid: number; patch: Partial<Omit<ManagedFile, 'fid'>> }
  | { kind: 'file.delete'; fid: number };

export interface LegacyTarget {
  db: LegacyDatabase;
  fields: LegacyFields;
  files: LegacyFiles;
  content: LegacyContent;
  /** Sessions are stored for HTTPS (Drupal finds them by `ssid`). */
  secureSessions: boolean;
  /** The legacy site stores hashed session ids; when it does not, sessions cannot be shared. */
  hashedSessionIds: boolean;
  warn(obj: object, msg: string): void;
  /** Told each `users.pass` delivered (the "legacy hash wins" rule compares against it). */
  rememberPass?(uid: number, pass: string): Promise<void>;
}

/** Applies one write to the legacy database. Every write is idempotent. */
export async function applyLegacyWrite(t: LegacyTarget, w: LegacyWrite): Promise<void> {
  switch (w.kind) {
    case 'session.save':
      if (t.hashedSessionIds) await t.db.saveSession(w.record, t.secureSessions);
      return;
    case 'session.rekey':
      if (!t.hashedSessionIds) return;
      await t.db.deleteSession(w.oldSid);
      await t.db.saveSession(w.record, t.secureSessions);
      return;
    case 'session.delete':
      if (t.hashedSessionIds) await t.db.deleteSession(w.sid);
      return;
    case 'session.deleteForUser': return t.db.deleteSessionsOfUser(w.uid);
    case 'user.save':
      if (!(await t.db.insertUser(w.account))) t.warn({ uid: w.account.uid, name: w.account.name }, 'the legacy site already has another account under this uid; it was left as it is');
      else if (w.account.pass) await t.rememberPass?.(w.account.uid, w.account.pass);
      return;
    case 'user.update':
      await t.db.updateUser(w.uid, w.patch);
      // user_save with a new picture: file_usage_add($picture, 'user', 'user', $uid).
      if (typeof w.patch.picture === 'number' && w.patch.picture > 0) await t.files.usedAsPicture(w.patch.picture, w.uid);
      if (typeof w.patch.pass === 'string') await t.rememberPass?.(w.uid, w.patch.pass);
      return;
    case 'content.cancel': return t.content.userCancel(w.uid, w.method, w.actor, w.now);
    case 'user.delete':
      await t.content.userDelete(w.uid);
      await t.fields.deleteFor(w.uid);
      return t.db.deleteUser(w.uid);
    case 'roles.set': return t.db.setRoles(w.uid, w.rids);
    case 'fields.set': return t.fields.setItems(w.uid, w.field, w.items);
    case 'fields.deleteFor': return t.fields.deleteFor(w.uid);
    case 'file.save': return t.files.save(w.file);
    case 'file.update': return t.files.update(w.fid, w.patch);
    case 'file.delete': return t.files.delete(w.fid);
  }
}
