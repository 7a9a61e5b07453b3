/**
 * `GET /user`: the page Drupal's `[site:login-url]` token points at — every welcome and
 * activation mail says "sign in at {base}/user". Gatehouse has no web pages of its own besides the one-time
 * login page, so this one says where the account is used and, for a browser with a live session (after a
 * one-time login), whom it is logged in as. In strangler mode the legacy site serves its own /user instead.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config/config.js';
import type { CoreDeps } from '../core/core-deps.js';
import { escapeHtml } from '../core/errors.js';
import { openRequestContext } from './request-context.js';
import { page, PAGE_HEADERS } from './reset-page/html.js';

export async function accountPage(app: FastifyInstance, o: { config: Config; core: CoreDeps }): Promise<void> {
  const { config, core } = o;
  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const { session, settings } = await openRequestContext(config, core, request);
    const siteName = settings.string('site_name', 'Drupal');
    const who = session.authenticated
      ? `<p class="status" id="who">You are logged in as <em class="placeholder">${escapeHtml(session.actor.name)}</em>.</p>`
      : `<p id="who">You are not logged in in this browser.</p>`;
    const body = `${who}
<p>Your account on ${escapeHtml(siteName)} is used from the site's apps: sign in there with your user name and password.
If you forgot your password, ask for a new one from the app; the mail you receive holds a one-time login link.</p>`;
    return reply.code(200).headers(PAGE_HEADERS).send(page(siteName, 'User account', body));
  };
  // `/user/login` is the web login page (src/protocols/web) or, with `_format`, the Drupal 8 dialect's.
  app.get('/user', handler);
}
