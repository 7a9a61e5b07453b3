/**
 * The console's operational pages (administer users): `/admin/people/sessions` (sessions per account or
 * site-wide, ended one by one or all at once), `/admin/people/flood` (Drupal's flood table: failed logins and
 * reset mails, with unblock) and `/admin/mail` (the outbox: status, the text sent, retry).
 */
import type { FastifyInstance } from 'fastify';
import type { FlashMessage } from '../../core/core-deps.js';
import { endOtherSessions } from '../../core/sessions/other-sessions.js';
import { dateTime, esc, form, select, table } from './html.js';
import { sessionCells, sessionLabel } from './session-list.js';
import { type WebDeps, WebRequest } from './web-request.js';

type Route = { constraints: Record<string, string> };

const LISTED = 100;
const MAIL_STATUSES = ['pending', 'sent', 'dead'];

const param = (query: unknown, key: string): string => {
  const v = (query as Record<string, unknown> | undefined)?.[key];
  return typeof v === 'string' ? v : '';
};

export function consoleOperations(app: FastifyInstance, deps: WebDeps, route: Route): void {
  const { core, queries } = deps;

  app.get('/admin/people/sessions', route, async (request, reply) => {
    const web = await WebRequest.open(deps, request);
    if (!web.admin) return web.denied(reply);
    const uidText = param(request.query, 'uid');
    const uid = /^\d{1,10}$/.test(uidText) ? Number(uidText) : undefined;
    const account = uid === undefined ? undefined : await core.store.accounts.byUid(uid);
    const sessions = await queries.sessions({ uid, limit: LISTED });
    const names = new Map<number, string>();
    for (const s of sessions) if (!names.has(s.uid)) names.set(s.uid, (await core.store.accounts.byUid(s.uid))?.name ?? `uid ${s.uid}`);
    const token = web.token('admin_sessions');
    const rows = sessions.map((s) => [
      `<a href="${esc(web.path(`/admin/people/sessions?uid=${s.uid}`))}">${esc(names.get(s.uid) ?? '')}</a>`, ...sessionCells(s),
      s.sid === web.session.record?.sid ? 'This browser' : form({ action: web.path('/admin/people/sessions'), token, id: `end-${sessionLabel(s)}`, submit: 'End', className: 'inline',
        submitLabel: `End session ${sessionLabel(s)} of ${names.get(s.uid) ?? ''}`, body: `<input type="hidden" name="op" value="one"><input type="hidden" name="sid" value="${esc(s.sid)}">` }),
    ]);
    const bulk = account
      ? form({ action: web.path('/admin/people/sessions'), token, id: 'end-account-sessions', submit: `End every session of ${account.name}`, body: `<input type="hidden" name="op" value="account"><input type="hidden" name="uid" value="${account.uid}">` })
      : form({ action: web.path('/admin/people/sessions'), token, id: 'end-all-sessions', submit: 'End every session on the site but mine', body: '<input type="hidden" name="op" value="all">' });
    const title = account ? `Sessions of ${account.name}` : 'Sessions';
    return web.send(reply, 200, title, `${table(title, ['Account', 'Browser', 'IP address', 'Last seen', 'Action'], rows, 'No sessions.')}\n${bulk}`);
  });

  app.post('/admin/people/sessions', route, async (request, reply) => {
    const web = await WebRequest.open(deps, request);
    if (!web.admin) return web.denied(reply);
    if (!web.tokenValid('admin_sessions')) return web.refused(reply);
    const mine = web.session.record?.sid ?? null;
    const op = web.field('op');
    let message: FlashMessage;
    if (op === 'one') {
      const target = await core.store.sessions.get(web.field('sid'));
      if (target && target.sid !== mine) {
        await core.store.sessions.delete(target.sid);
        await web.audit('session_end', { uid: target.uid, name: (await core.store.accounts.byUid(target.uid))?.name ?? '' }, `session from ${target.hostname}`);
      }
      message = { type: 'status', text: target ? 'The session has been ended.' : 'That session had already ended.' };
    } else if (op === 'account' && /^\d{1,10}$/.test(web.field('uid'))) {
      const uid = Number(web.field('uid'));
      const n = await endOtherSessions(core.store, queries, uid, mine);
      await web.audit('session_end', { uid, name: (await core.store.accounts.byUid(uid))?.name ?? '' }, `all ${n} sessions`);
      return web.redirect(reply, `/admin/people/sessions?uid=${uid}`, [{ type: 'status', text: `Ended ${n} session${n === 1 ? '' : 's'}.` }]);
    } else if (op === 'all') {
      let n = 0;
      for (let batch = await queries.sessions({ limit: 500 }); ; batch = await queries.sessions({ limit: 500 })) {
        const others = batch.filter((s) => s.sid !== mine);
        for (const s of others) await core.store.sessions.delete(s.sid);
        n += others.length;
        if (batch.length < 500 || others.length === 0) break;
      }
      await web.audit('session_end', null, `site-wide: ${n} sessions`);
      message = { type: 'status', text: `Ended ${n} session${n === 1 ? '' : 's'}.` };
    } else {
      message = { type: 'error', text: 'Unknown operation.' };
    }
    return web.redirect(reply, '/admin/people/sessions', [message]);
  });

  app.get('/admin/people/flood', route, async (request, reply) => {
    const web = await WebRequest.open(deps, request);
    if (!web.admin) return web.denied(reply);
    const token = web.token('admin_flood');
    const rows = (await queries.floodEvents(LISTED)).map((f) => [esc(f.event), esc(f.identifier), dateTime(f.timestamp), dateTime(f.expiration),
      form({ action: web.path('/admin/people/flood'), token, id: `unblock-${f.fid}`, submit: 'Unblock', className: 'inline', submitLabel: `Unblock ${f.event} ${f.identifier}`,
        body: `<input type="hidden" name="fid" value="${f.fid}">` })]);
    return web.send(reply, 200, 'Flood control', `<p>Failed logins and password-reset mails counted against an IP address or an account (Drupal's flood table). Unblocking removes every event of that kind for that identifier.</p>
${table('Flood events, newest first', ['Event', 'Identifier', 'When', 'Expires', 'Action'], rows, 'No flood events.')}`);
  });

  app.post('/admin/people/flood', route, async (request, reply) => {
    const web = await WebRequest.open(deps, request);
    if (!web.admin) return web.denied(reply);
    if (!web.tokenValid('admin_flood')) return web.refused(reply);
    const fid = /^\d{1,12}$/.test(web.field('fid')) ? Number(web.field('fid')) : 0;
    const event = await queries.floodEvent(fid);
    if (!event) return web.redirect(reply, '/admin/people/flood', [{ type: 'error', text: 'That flood event has already gone.' }]);
    await core.store.flood.clear(event.event, event.identifier);
    await web.audit('flood_unblock', null, `${event.event} ${event.identifier}`);
    return web.redirect(reply, '/admin/people/flood', [{ type: 'status', text: `Unblocked ${esc(event.identifier)} (${esc(event.event)}).` }]);
  });

  app.get('/admin/mail', route, async (request, reply) => {
    const web = await WebRequest.open(deps, request);
    if (!web.admin) return web.denied(reply);
    const status = MAIL_STATUSES.includes(param(request.query, 'status')) ? param(request.query, 'status') : '';
    const token = web.token('admin_mail');
    const rows = (await queries.mails({ status: status || undefined, limit: LISTED })).map((m) => [
      esc(m.to), `<details><summary>${esc(m.subject)}</summary><pre>${esc(m.body)}</pre></details>`, esc(m.status), String(m.attempts),
      esc(m.lastError ?? ''), dateTime(m.created), m.sentAt === null ? '' : dateTime(m.sentAt),
      m.status === 'sent' ? '' : form({ action: web.path('/admin/mail'), token, id: `retry-${m.id}`, submit: 'Retry now', className: 'inline', submitLabel: `Retry mail ${m.id} to ${m.to}`,
        body: `<input type="hidden" name="id" value="${m.id}">` }),
    ]);
    const filter = `<form method="get" action="${esc(web.path('/admin/mail'))}" id="mail-filter">${select('status', 'Status', [['', '- Any -'], ...MAIL_STATUSES.map((s): [string, string] => [s, s])], status)}<button type="submit" id="mail-filter-submit">Filter</button></form>`;
    return web.send(reply, 200, 'Mail outbox', `${filter}\n${table('Mails, newest first', ['To', 'Subject and text', 'Status', 'Attempts', 'Last error', 'Queued', 'Sent', 'Action'], rows, 'No mail.')}`);
  });

  app.post('/admin/mail', route, async (request, reply) => {
    const web = await WebRequest.open(deps, request);
    if (!web.admin) return web.denied(reply);
    if (!web.tokenValid('admin_mail')) return web.refused(reply);
    const id = /^\d{1,12}$/.test(web.field('id')) ? Number(web.field('id')) : 0;
    const retried = await queries.retryMail(id, core.clock.now());
    if (retried) await web.audit('mail_retry', null, `mail ${id}`);
    return web.redirect(reply, '/admin/mail', [retried ? { type: 'status', text: 'The mail is queued to be sent again now.' } : { type: 'error', text: 'That mail cannot be retried (it was sent, or it does not exist).' }]);
  });
}
