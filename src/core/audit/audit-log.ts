import type { Caller } from '../core-deps.js';
import type { Actor } from '../model.js';

/** The account events the audit log records. */
export type AuditEventName =
  | 'login' | 'login_failed' | 'logout' | 'register' | 'password_change' | 'password_reset_request'
  | 'block' | 'unblock' | 'role_change' | 'cancel' | 'admin_edit' | 'account_create'
  | 'session_end' | 'flood_unblock' | 'mail_retry' | 'settings_change' | 'write_back_retry';

export interface AuditEvent {
  id: number;
  /** Unix seconds. */
  created: number;
  event: AuditEventName;
  /** Who did it (0: a visitor). */
  actorUid: number;
  actorName: string;
  /** The account it was done to, if any. */
  targetUid: number | null;
  targetName: string;
  ip: string;
  /** What changed, in words (never a password). */
  detail: string;
}

export type NewAuditEvent = Omit<AuditEvent, 'id'>;

/** Where account events are kept (the storage layer implements it), with a retention in days. */
export interface AuditLog {
  record(event: NewAuditEvent): Promise<void>;
  /** Newest first, keyset-paged on id. */
  list(q: { event?: string; uid?: number; before?: number; limit: number }): Promise<AuditEvent[]>;
  /** Removes events created before `olderThan`; returns how many. */
  purge(olderThan: number): Promise<number>;
}

/** Days events are kept: the site's `gatehouse_audit_retention_days` (default 365; 0 keeps them forever). */
export function auditRetentionDays(caller: Pick<Caller, 'settings'>): number {
  return Math.max(0, caller.settings.int('gatehouse_audit_retention_days', 365));
}

/** Drops the events older than the site's retention (before the log is shown, listed or exported). */
export async function purgeExpiredEvents(audit: AuditLog, caller: Pick<Caller, 'settings'>, now: number): Promise<void> {
  const days = auditRetentionDays(caller);
  if (days > 0) await audit.purge(now - days * 86400);
}

/** An event as the caller (actor, IP) did it at `now`. */
export function auditEvent(caller: { actor: Pick<Actor, 'uid' | 'name'>; ip: string }, now: number, event: AuditEventName, target: { uid: number; name: string } | null, detail = ''): NewAuditEvent {
  return {
    created: now, event, actorUid: caller.actor.uid, actorName: caller.actor.name, targetUid: target?.uid ?? null,
    targetName: target?.name ?? '', ip: caller.ip, detail,
  };
}
