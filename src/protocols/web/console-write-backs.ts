/**
 * `/admin/strangler` (strangler mode): the writes Gatehouse owes the legacy Drupal database — waiting, in the
 * order they will be delivered, and refused (set aside after the legacy database refused them) — with what
 * each is and for which account, and a button to deliver the waiting ones now (`gatehouse bridge retry`).
 * Refused writes are not sent again from here: delivered out of order, an old session or account write could
 * undo a newer one on Drupal; docs/strangler.md says how to settle them.
 */
import type { FastifyInstance } from 'fastify';
import { dateTime, esc, form, table } from './html.js';
import { type WebDeps, WebRequest } from './web-request.js';

type Route = { constraints: Record<string, string> };

const LISTED = 200;
export const WRITE_BACKS_PATH = '/admin/strangler';

export function writeBackPage(app: FastifyInstance, deps: WebDeps, route: Route): void {
  app.get(WRITE_BACKS_PATH, route, async (request, reply) => {
    const web = await WebRequest.open(deps, request);
    if (!web.admin) return web.denied(reply);
    const writeBack = deps.writeBack;
    if (!writeBack) return web.send(reply, 200, 'Write-backs', '<p>Strangler mode is off: there is no legacy site to write back to.</p>');
    const status = await writeBack.status();
    const entries = await writeBack.list(LISTED);
    const rows = entries.map((e) => [String(e.id), esc(e.kind), e.uid === null ? '' : String(e.uid), e.refused ? 'refused' : 'waiting', String(e.attempts), esc(e.lastError ?? ''), dateTime(Math.floor(e.created / 1000))]);
    const deliver = status.pending === 0 ? '' : form({ action: web.path(WRITE_BACKS_PATH), token: web.token('admin_write_backs'), id: 'deliver-now', submit: 'Deliver the waiting writes now', body: '' });
    return web.send(reply, 200, 'Write-backs', `<p>${status.pending} write${status.pending === 1 ? '' : 's'} waiting for the legacy database${status.lastError ? ` (last error: ${esc(status.lastError)})` : ''}; ${status.dead} refused${status.deadError ? ` (last: ${esc(status.deadError)})` : ''}.</p>
${deliver}
${table('Writes owed to the legacy database: waiting in delivery order, then refused, newest first', ['Id', 'Write', 'Account (uid)', 'State', 'Attempts', 'Last error', 'Recorded'], rows, 'Nothing is owed to the legacy database.')}`);
  });

  app.post(WRITE_BACKS_PATH, route, async (request, reply) => {
    const web = await WebRequest.open(deps, request);
    if (!web.admin) return web.denied(reply);
    if (!web.tokenValid('admin_write_backs')) return web.refused(reply);
    if (!deps.writeBack) return web.redirect(reply, WRITE_BACKS_PATH);
    await deps.writeBack.flushNow();
    const left = (await deps.writeBack.status()).pending;
    await web.audit('write_back_retry', null, `${left} still waiting`);
    return web.redirect(reply, WRITE_BACKS_PATH, [left === 0 ? { type: 'status', text: 'Every waiting write has been delivered.' } : { type: 'warning', text: `${left} write${left === 1 ? '' : 's'} still waiting: the legacy database did not take them.` }]);
  });
}
