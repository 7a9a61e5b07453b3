/**
 * `/user/sessions`: "my sessions" — every session of the logged-in account (browser where a page saw it, IP,
 * last seen), with a button to end one, and one to end all but this browser's.
 */
import type { FastifyInstance } from 'fastify';
import { endOtherSessions } from '../../core/sessions/other-sessions.js';
import { esc, form, table } from './html.js';
import { sessionCells, sessionLabel } from './session-list.js';
import { type WebDeps, WebRequest } from './web-request.js';

type Route = { constraints: Record<string, string> };

const MAX_LISTED = 200;

export function mySessions(app: FastifyInstance, deps: WebDeps, route: Route): void {
  app.get('/user/sessions', route, async (request, reply) => {
    const web = await WebRequest.open(deps, request);
    if (web.uid === 0) return web.denied(reply);
    const current = web.session.record?.sid;
    const rows = (await deps.queries.sessions({ uid: web.uid, limit: MAX_LISTED })).map((s) => {
      const label = sessionLabel(s);
      const action = s.sid === current ? '<strong>This browser</strong>'
        : form({ action: web.path('/user/sessions'), token: web.token('user_sessions'), id: `revoke-${label}`, submit: 'End this session', className: 'inline',
          submitLabel: `End session ${label}`, body: `<input type="hidden" name="op" value="revoke"><input type="hidden" name="sid" value="${esc(s.sid)}">` });
      return [...sessionCells(s), action];
    });
    const others = form({ action: web.path('/user/sessions'), token: web.token('user_sessions'), id: 'revoke-others', submit: 'Log out all other sessions',
      body: '<input type="hidden" name="op" value="others">' });
    return web.send(reply, 200, 'My sessions', `<p>Where your account is logged in. Ending a session logs that browser or app out.</p>
${table('Sessions of your account', ['Browser', 'IP address', 'Last seen', 'Action'], rows, 'No sessions.')}
${others}`);
  });

  app.post('/user/sessions', route, async (request, reply) => {
    const web = await WebRequest.open(deps, request);
    if (web.uid === 0) return web.denied(reply);
    if (!web.tokenValid('user_sessions')) return web.refused(reply);
    const current = web.session.record?.sid ?? null;
    if (web.field('op') === 'others') {
      const n = await endOtherSessions(deps.core.store, deps.queries, web.uid, current);
      await web.audit('session_end', web.session.actor, `all ${n} other sessions`);
      return web.redirect(reply, '/user/sessions', [{ type: 'status', text: `Ended ${n} other session${n === 1 ? '' : 's'}.` }]);
    }
    const sid = web.field('sid');
    const target = sid === '' ? undefined : await deps.core.store.sessions.get(sid);
    // Only one's own sessions; this browser's ends with "Log out".
    if (!target || target.uid !== web.uid || target.sid === current) {
      return web.redirect(reply, '/user/sessions', [{ type: 'error', text: 'That session does not exist or is not yours to end.' }]);
    }
    await deps.core.store.sessions.delete(target.sid);
    await web.audit('session_end', web.session.actor, `session from ${target.hostname}`);
    return web.redirect(reply, '/user/sessions', [{ type: 'status', text: 'The session has been ended.' }]);
  });
}
