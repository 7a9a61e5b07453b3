/**
 * `GET|POST /user/reset/{uid}/{timestamp}/{hash}`: the page a one-time login mail links to, for a browser.
 *
 * GET checks the link with the core's rules (checkPassResetLink: 24 h, single use, invalid after a login
 * or a password change) without using it, and shows a form for a new password. POST checks the form's own
 * CSRF token (form-token.ts), the two passwords, then uses the link exactly as `user/user_pass_reset` does
 * (usePassResetLink), opens a Drupal session for the account (the browser is logged in) and saves the
 * password through the profile update with the link's waiver of the current password.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config/config.js';
import { updateAccount } from '../../core/accounts/account-update.js';
import { checkPassResetLink, usePassResetLink } from '../../core/accounts/password-recovery.js';
import type { Caller, CoreDeps } from '../../core/core-deps.js';
import { escapeHtml, GatehouseError } from '../../core/errors.js';
import { readPasswordInput, validatePassword } from '../../core/validation/password.js';
import { endOtherSessions } from '../../core/sessions/end-other-sessions.js';
import { callerAfterSessionChange, openRequestContext } from '../request-context.js';
import type { RequestSite } from '../request-site.js';
import { SessionHandle } from '../session/session-handle.js';
import { checkFormToken, FORM_COOKIE, formCookieHeader, issueFormToken } from './form-token.js';
import { PAGE_HEADERS, resetDonePage, resetFormPage, resetProblemPage } from './html.js';

export interface ResetPageOptions { config: Config; core: CoreDeps }

interface LinkParams { uid: string; timestamp: string; hash: string }

interface Visit {
  site: RequestSite; session: SessionHandle; caller: Caller; siteName: string; link: string; params: LinkParams;
  /** Where the form's cookie goes: below /user/reset/, or the site's root for the `?q=` form. */
  cookiePath: string;
}

const ROUTE = '/user/reset/:uid/:timestamp/:hash';

const QUERY_FORM = /^\/(?:index\.php)?\?(?:[^#]*&)?q=([^&#]*)/;
const RESET_PATH = /^\/*(user\/reset\/\d+\/\d+\/[A-Za-z0-9_-]+)\/?$/;

/**
 * The page's own URL for its `?q=` form (clean URLs off: `/?q=user/reset/…` or `/index.php?q=user/reset/…`,
 * what a site without clean URLs put in its mails); null for any other URL. The server rewrites these
 * before routing (Fastify's rewriteUrl), so the page and its form answer both forms.
 */
export function resetPageUrl(url: string): string | null {
  const query = QUERY_FORM.exec(url);
  if (!query) return null;
  let q: string;
  try { q = decodeURIComponent(query[1].replace(/\+/g, ' ')); } catch { return null; }
  const path = RESET_PATH.exec(q);
  return path ? `/${path[1]}` : null;
}

export async function resetPage(app: FastifyInstance, o: ResetPageOptions): Promise<void> {
  const { config, core } = o;

  const visit = async (request: FastifyRequest): Promise<Visit> => {
    const params = request.params as LinkParams;
    const { site, session, settings, caller } = await openRequestContext(config, core, request);
    const queryForm = request.originalUrl !== request.url;
    const cookiePath = queryForm ? `${site.basePath}/` : `${site.basePath}/user/reset/`;
    return { site, session, caller, siteName: settings.string('site_name', 'Drupal'), link: `${params.uid}/${params.timestamp}/${params.hash}`, params, cookiePath };
  };
  const linkInput = (p: LinkParams) => ({ uid: p.uid, timestamp: p.timestamp, hashedPass: p.hash });

  /** The form with a fresh token (and its cookie). */
  const showForm = async (reply: FastifyReply, v: Visit, error?: string): Promise<FastifyReply> => {
    const account = await checkPassResetLink(core, v.caller, linkInput(v.params));
    const now = core.clock.now();
    const { nonce, token } = issueFormToken(core.keys, v.link, now);
    const expires = account.login === 0 ? null : Number(v.params.timestamp) + v.caller.settings.int('user_password_reset_timeout', 86400);
    return reply.code(error ? 400 : 200).headers(PAGE_HEADERS).header('Set-Cookie', formCookieHeader(nonce, { secure: v.site.https, path: v.cookiePath }))
      .send(resetFormPage({ siteName: v.siteName, accountName: account.name, expires, formToken: token, error }));
  };
  const problem = (reply: FastifyReply, v: Visit, status: number, message: string, retry = false): FastifyReply =>
    reply.code(status).headers(PAGE_HEADERS).send(resetProblemPage(v.siteName, message, retry ? `${v.site.basePath}/user/reset/${v.link}` : undefined));
  /** Link errors from the core become a page; anything else goes to the app's error handler. */
  const guarded = async (reply: FastifyReply, v: Visit, fn: () => Promise<FastifyReply>): Promise<FastifyReply> => {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof GatehouseError) return problem(reply, v, 403, err.message);
      throw err;
    }
  };

  app.get(ROUTE, async (request, reply) => {
    const v = await visit(request);
    return guarded(reply, v, () => showForm(reply, v));
  });

  app.post(ROUTE, async (request, reply) => {
    const v = await visit(request);
    const form = new URLSearchParams(Buffer.isBuffer(request.body) ? request.body.toString('utf8') : '');
    const nonce = (request.cookies as Record<string, string | undefined>)[FORM_COOKIE];
    const tokenProblem = checkFormToken(core.keys, v.link, form.get('form_token'), nonce, core.clock.now());
    if (tokenProblem) {
      const why = tokenProblem === 'expired' ? 'This form has expired.' : 'This form could not be verified (it did not come from this site, or cookies are off).';
      return problem(reply, v, 403, `${escapeHtml(why)} Your password was not changed.`, true);
    }
    return guarded(reply, v, async () => {
      const pass = readPasswordInput({ pass1: form.get('pass1') ?? '', pass2: form.get('pass2') ?? '' });
      const passError = validatePassword(pass, { required: true });
      if (passError) return showForm(reply, v, passError);
      const used = await usePassResetLink(core, v.caller, linkInput(v.params));
      await v.session.logIn(used.account);
      const caller = callerAfterSessionChange(v);
      await updateAccount(core, caller, used.account, { pass: pass! }, { passResetVerified: true });
      // As Drupal's form does: the account's other sessions end, this one stays.
      await endOtherSessions(core.store, used.account.uid, v.session.record);
      await v.session.commit();
      const cookies = [...v.session.setCookies, formCookieHeader(null, { secure: v.site.https, path: v.cookiePath })];
      return reply.code(200).headers(PAGE_HEADERS).header('Set-Cookie', cookies).send(resetDonePage(v.siteName, used.account.name));
    });
  });
}
