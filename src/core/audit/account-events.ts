/**
 * Account events recorded where they happen, in the core, whichever protocol asked (Services, the Drupal 8
 * dialect, the pages, the account API, the CLI): logins and failed logins, logouts, registrations, password
 * changes, blocks, role changes, cancellations, administrators' edits. Now and then (at most hourly) the
 * events past the site's retention are dropped on the way.
 */
import type { Caller, CoreDeps } from '../core-deps.js';
import type { Actor } from '../model.js';
import { type AuditEventName, type AuditLog, auditEvent, type NewAuditEvent, purgeExpiredEvents } from './audit-log.js';

/** Who did it and from where: a request's caller, or the same with the actor it just became (a login). */
export type EventSource = { actor: Pick<Actor, 'uid' | 'name'>; ip: string } & Partial<Pick<Caller, 'settings'>>;

const lastPurge = new WeakMap<AuditLog, number>();

/** The sender of webhook rows in the outbox (the transport routes rows whose recipient is a webhook URL). */
export const WEBHOOK_SENDER = 'webhook@gatehouse.invalid';

/**
 * One outbox row per webhook that wants the event: delivered (signed, retried, set aside when dead) by the
 * outbox worker like a mail, so a receiver that is down delays nothing and loses nothing.
 */
async function enqueueWebhooks(deps: CoreDeps, e: NewAuditEvent, now: number): Promise<void> {
  for (const hook of deps.webhooks ?? []) {
    if (hook.events && hook.events.length > 0 && !hook.events.includes(e.event)) continue;
    const body = JSON.stringify({
      event: e.event, created: e.created, actor: { uid: e.actorUid, name: e.actorName },
      account: e.targetUid === null ? null : { uid: e.targetUid, name: e.targetName }, ip: e.ip, detail: e.detail,
    });
    await deps.store.outbox.enqueue({ mailId: 'gatehouse_webhook', to: hook.url, from: WEBHOOK_SENDER, subject: e.event, body, headers: { 'X-Gatehouse-Event': e.event } }, now);
  }
}

export async function recordAccountEvent(deps: CoreDeps, by: EventSource, event: AuditEventName, target: { uid: number; name: string } | null, detail = ''): Promise<void> {
  const audit = deps.audit;
  if (!audit) return;
  const now = deps.clock.now();
  const recorded = auditEvent(by, now, event, target, detail);
  await audit.record(recorded);
  await enqueueWebhooks(deps, recorded, now);
  if (by.settings && now - (lastPurge.get(audit) ?? 0) >= 3600) {
    lastPurge.set(audit, now);
    await purgeExpiredEvents(audit, { settings: by.settings }, now);
  }
}
