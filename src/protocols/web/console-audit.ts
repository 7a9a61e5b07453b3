/**
 * `/admin/audit`: the account events (logins, failed logins, registrations, password changes, blocks, role
 * changes, cancellations, administrators' edits…), with who did it and from which IP, newest first, filtered
 * by event or account, keyset-paged; `/admin/audit/export` gives the same selection as JSON lines.
 */
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { AuditEvent } from '../../core/audit/audit-log.js';
import { auditRetentionDays } from '../../core/audit/audit-log.js';
import { dateTime, esc, table } from './html.js';
import { type WebDeps, WebRequest } from './web-request.js';

type Route = { constraints: Record<string, string> };

const PAGE_SIZE = 100;
const EXPORT_BATCH = 1000;

interface AuditFilter { event?: string; uid?: number; before?: number }

function filterOf(query: unknown): AuditFilter {
  const q = (query ?? {}) as Record<string, unknown>;
  const num = (k: string) => (typeof q[k] === 'string' && /^\d{1,12}$/.test(q[k] as string) ? Number(q[k]) : undefined);
  const event = typeof q.event === 'string' && /^[a-z_]{1,64}$/.test(q.event) ? q.event : undefined;
  return { event, uid: num('uid'), before: num('before') };
}

function query(f: AuditFilter, before?: number): string {
  const p = new URLSearchParams();
  if (f.event) p.set('event', f.event);
  if (f.uid !== undefined) p.set('uid', String(f.uid));
  if (before !== undefined) p.set('before', String(before));
  const s = p.toString();
  return s ? `?${s}` : '';
}

const who = (uid: number | null, name: string) => (uid === null ? '' : uid === 0 ? 'visitor' : `${esc(name)} <span class="uid">(uid ${uid})</span>`);

export function auditPages(app: FastifyInstance, deps: WebDeps, route: Route): void {
  app.get('/admin/audit', route, async (request, reply) => {
    const web = await WebRequest.open(deps, request);
    if (!web.admin) return web.denied(reply);
    const f = filterOf(request.query);
    await web.purgeAudit();
    const events = await deps.audit.list({ ...f, limit: PAGE_SIZE });
    const rows = events.map((e: AuditEvent) => [dateTime(e.created), esc(e.event), who(e.actorUid, e.actorName), who(e.targetUid, e.targetName), esc(e.ip), esc(e.detail)]);
    const days = auditRetentionDays(web.caller);
    const filter = `<form method="get" action="${esc(web.path('/admin/audit'))}" id="audit-filter" role="search">
<div class="form-item"><label for="edit-event">Event</label><input type="text" id="edit-event" name="event" value="${esc(f.event ?? '')}"></div>
<div class="form-item"><label for="edit-uid">Account (uid)</label><input type="text" inputmode="numeric" id="edit-uid" name="uid" value="${f.uid ?? ''}"></div>
<button type="submit" id="audit-filter-submit">Filter</button></form>`;
    const next = events.length === PAGE_SIZE ? `<p><a href="${esc(web.path(`/admin/audit${query(f, events[events.length - 1].id)}`))}" id="next-page" rel="next">Older events</a></p>` : '';
    return web.send(reply, 200, 'Audit log', `<p>Events are kept ${days === 0 ? 'forever' : `for ${days} days`} (site setting <code>gatehouse_audit_retention_days</code>).
<a href="${esc(web.path(`/admin/audit/export${query({ ...f, before: undefined })}`))}" id="export">Export as JSON lines</a></p>
${filter}
${table('Account events, newest first', ['When', 'Event', 'By', 'Account', 'IP address', 'Detail'], rows, 'No events.')}
${next}`);
  });

  app.get('/admin/audit/export', route, async (request, reply) => {
    const web = await WebRequest.open(deps, request);
    if (!web.admin) return web.denied(reply);
    const f = filterOf(request.query);
    await web.purgeAudit();
    await web.session.commit();
    // Streamed a batch at a time: a long log is never held in memory whole.
    async function* lines(): AsyncGenerator<string> {
      for (let before = f.before; ;) {
        const batch = await deps.audit.list({ ...f, before, limit: EXPORT_BATCH });
        if (batch.length > 0) yield batch.map((e) => `${JSON.stringify(e)}\n`).join('');
        if (batch.length < EXPORT_BATCH) return;
        before = batch[batch.length - 1].id;
      }
    }
    return reply.code(200).header('Content-Type', 'application/x-ndjson; charset=utf-8').header('Cache-Control', 'no-store')
      .header('Content-Disposition', 'attachment; filename="gatehouse-audit.jsonl"').send(Readable.from(lines()));
  });
}
