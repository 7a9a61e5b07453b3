import type { Generated } from 'kysely';
import type { Account } from '../core/model.js';

/**
 * Table types. The columns follow Drupal 7's own tables (users, role, users_roles, role_permission,
 * sessions, flood, variable) so an imported site drops in (the users row is the core's Account); `name_key`/`mail_key` are ours: the
 * name and mail under the site's LIKE rule (core/collation), which carry the uniqueness Drupal checks with LIKE.
 */
export type UsersTable = Omit<Account, 'uid'> & {
  uid: Generated<number>;
  name_key: string | null;
  mail_key: string | null;
  /** 1: an imported legacy duplicate of an earlier account's mail key (outside the unique index); see migration 004. */
  mail_shared: Generated<number>;
};

export interface RoleTable { rid: number; name: string; weight: number }
export interface UsersRolesTable { uid: number; rid: number }
export interface RolePermissionTable { rid: number; permission: string; module: string }

export interface SessionsTable {
  /** base64url(sha256(session id)), as Drupal 7.10x stores it. */
  sid: string;
  ssid: string;
  uid: number;
  hostname: string;
  timestamp: number;
  cache: number;
  session: string;
}

export interface FloodTable {
  fid: Generated<number>;
  event: string;
  identifier: string;
  timestamp: number;
  expiration: number;
}

/** Site settings (what system/set_variable changes). `value` holds JSON. */
export interface VariableTable { name: string; value: string }

export interface OutboxTable {
  id: Generated<number>;
  mail_id: string;
  recipient: string;
  sender: string;
  subject: string;
  body: string;
  headers: string;
  status: string;
  attempts: number;
  next_attempt_at: number;
  locked_until: number;
  last_error: string | null;
  created: number;
  sent_at: number | null;
  /** The worker holding the claim (`host:pid:boot`), null when unclaimed. */
  claimed_by: Generated<string | null>;
  /** Where a delivered mail went (migration 007): transport → its answer. */
  delivered_via: string | null;
}

/** A user field: field_config + its user instance (gatehouse_field). `settings` holds JSON. */
export interface FieldTable {
  name: string; type: string; label: string; cardinality: number; required: number; on_register: number;
  widget: string; weight: number; settings: string;
}
/** One stored field item; `item` holds its columns as JSON. */
export interface FieldValueTable { uid: number; field: string; delta: number; item: string }
/** Drupal's file_managed. */
export interface FileManagedTable {
  fid: Generated<number>; uid: number; filename: string; uri: string; filemime: string; filesize: number; status: number; timestamp: number;
}

/** The audit log of account events (migration 004). */
export interface AuditTable {
  id: Generated<number>; created: number; event: string; actor_uid: number; actor_name: string;
  target_uid: number | null; target_name: string; ip: string; detail: string;
}

export interface Database {
  users: UsersTable;
  role: RoleTable;
  users_roles: UsersRolesTable;
  role_permission: RolePermissionTable;
  sessions: SessionsTable;
  flood: FloodTable;
  variable: VariableTable;
  outbox: OutboxTable;
  gatehouse_field: FieldTable;
  gatehouse_field_value: FieldValueTable;
  file_managed: FileManagedTable;
  gatehouse_audit: AuditTable;
}
