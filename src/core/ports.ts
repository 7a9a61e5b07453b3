import type { FieldDefinition, FieldItem, FieldValues } from './fields/field-definition.js';
import type { ManagedFile, NewManagedFile } from './fields/managed-file.js';
import type { Account, AccountPatch, NewAccount, OutgoingMail, Role, SessionRecord } from './model.js';

/** What the core needs from storage. The storage layer implements it for each database. */
export interface AccountRepository {
  byUid(uid: number): Promise<Account | undefined>;
  /**
   * By name (the lowest uid when several match): `=` compares as the site's database did (user_load_by_name,
   * the login), `like` as Drupal's LIKE checks do (user_is_blocked, uniqueness). See core/collation.
   * `activeOnly`: among active accounts only (user_load_multiple with status 1, as user_pass_validate asks).
   */
  byName(name: string, op: NameComparison, activeOnly?: boolean): Promise<Account | undefined>;
  byMail(mail: string, op: NameComparison, activeOnly?: boolean): Promise<Account | undefined>;
  /** Whether another account holds this name / mail under the site's LIKE rule (the forms' uniqueness check). */
  nameTaken(name: string, exceptUid?: number): Promise<boolean>;
  mailTaken(mail: string, exceptUid?: number): Promise<boolean>;
  /** Inserts; throws DuplicateAccountError when the name or the mail is taken (a race lost to another insert). */
  insert(account: NewAccount): Promise<number>;
  update(uid: number, patch: AccountPatch): Promise<void>;
  /**
   * Sets `login` to `now` only if it still is `expected` (compare-and-set); false when another request changed
   * it first. A one-time login link is good for one login: of two uses at once, one wins.
   */
  markLoggedIn(uid: number, expected: number, now: number): Promise<boolean>;
  delete(uid: number): Promise<void>;
  list(query: AccountListQuery): Promise<Record<string, unknown>[]>;
}

/** How a name or mail is compared: as SQL `=` or as Drupal's LIKE checks, under the site's collation. */
export type NameComparison = '=' | 'like';

export interface AccountListQuery {
  fields: string[] | '*';
  conditions: Array<{ column: string; op: string; values: string[] }>;
  orderBy: Array<{ column: string; direction: 'ASC' | 'DESC' }>;
  offset: number;
  limit: number;
}

export class DuplicateAccountError extends Error {
  constructor(readonly field: 'name' | 'mail') { super(`duplicate ${field}`); }
}

/** A query the database refused (unknown column, bad operator use, …). */
export class InvalidQueryError extends Error {}

export interface RoleRepository {
  all(): Promise<Role[]>;
  rolesOf(uid: number): Promise<number[]>;
  setRoles(uid: number, rids: number[]): Promise<void>;
  permissionsOf(rids: number[]): Promise<string[]>;
  grant(rid: number, permissions: string[]): Promise<void>;
  ensureRole(role: Role): Promise<void>;
}

export interface SessionRepository {
  get(sid: string): Promise<SessionRecord | undefined>;
  save(record: SessionRecord): Promise<void>;
  rekey(oldSid: string, record: SessionRecord): Promise<void>;
  delete(sid: string): Promise<void>;
  deleteForUser(uid: number): Promise<void>;
  /** Deletes rows idle since before `olderThan`; returns how many. */
  collectGarbage(olderThan: number): Promise<number>;
}

export interface FloodRepository {
  /** Adds an event; with `keep`, only the newest `keep` rows of that event and identifier remain. */
  register(event: string, identifier: string, now: number, window: number, keep?: number): Promise<void>;
  count(event: string, identifier: string, since: number): Promise<number>;
  clear(event: string, identifier: string): Promise<void>;
  /** Removes the event's rows whose identifier starts with `prefix` (Drupal's `LIKE 'prefix%'`). */
  clearPrefix(event: string, prefix: string): Promise<void>;
  /** Deletes an account's failed-login events from every ip (an operator lifting its lock); returns how many. */
  clearAccount(uid: number): Promise<number>;
  collectGarbage(now: number): Promise<void>;
}

export interface VariableRepository {
  get(name: string): Promise<unknown>;
  all(): Promise<Record<string, unknown>>;
  set(name: string, value: unknown): Promise<void>;
  /** Inserts only if absent; returns the value that is stored afterwards. */
  setIfAbsent(name: string, value: unknown): Promise<unknown>;
  delete(name: string): Promise<void>;
}

/** User field definitions and each account's stored items. */
export interface FieldRepository {
  /** Every user field, by weight then name. */
  definitions(): Promise<FieldDefinition[]>;
  saveDefinition(definition: FieldDefinition): Promise<void>;
  valuesOf(uid: number): Promise<FieldValues>;
  /** Replaces the account's items of one field (an empty list removes them). */
  setItems(uid: number, field: string, items: FieldItem[]): Promise<void>;
  deleteFor(uid: number): Promise<void>;
}

/** Managed files (file_managed): user pictures. */
export interface FileRepository {
  byFid(fid: number): Promise<ManagedFile | undefined>;
  /** Inserts (keeping `fid` when given); returns the fid. */
  insert(file: NewManagedFile): Promise<number>;
  update(fid: number, patch: Partial<Omit<ManagedFile, 'fid'>>): Promise<void>;
  delete(fid: number): Promise<void>;
}

/** The bytes behind `public://` URIs (Drupal's public files folder): where uploaded pictures are written. */
export interface PublicFiles {
  /** Writes a new file at `uri`, or beside it (`name_0.ext`, … as file_create_filename) when taken; returns the URI used. */
  create(uri: string, bytes: Buffer): Promise<string>;
  /** Removes the file at `uri` (file_delete's unlink); a missing file is no error. */
  remove(uri: string): Promise<void>;
  /** The file at `uri` to send (its size, last change and bytes), or null when there is none. */
  open(uri: string): Promise<{ size: number; modified: Date; stream: NodeJS.ReadableStream } | null>;
}

/**
 * Content a site keeps about accounts outside Gatehouse's tables (a bridged Drupal 7 site's nodes and
 * comments): Drupal's hook_user_cancel effects of a cancellation, recorded in the cancelling transaction.
 * hook_user_delete's effects follow every account deletion by themselves.
 */
export interface AccountContent {
  /** `method` is user_cancel_method's value; `actor` the acting uid; `now` the request time. */
  userCancel(uid: number, method: string, actor: number, now: number): Promise<void>;
}

export interface Outbox {
  enqueue(mail: OutgoingMail, now: number): Promise<void>;
}

/** All repositories over one connection or transaction. */
export interface Store {
  accounts: AccountRepository;
  roles: RoleRepository;
  sessions: SessionRepository;
  flood: FloodRepository;
  variables: VariableRepository;
  outbox: Outbox;
  fields: FieldRepository;
  files: FileRepository;
  /** Absent when Gatehouse is the only keeper of account data. */
  content?: AccountContent;
  /** Runs `fn` in a transaction: every write inside commits or none does. */
  transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T>;
  ping(): Promise<void>;
  /**
   * A view for one request, where the database needs one to keep its per-request reads to one round trip
   * and exact (PostgreSQL: storage/postgres-request-reads.ts). Absent = this store serves requests as it is.
   */
  forRequest?(): Store;
}
