import type { FastifyRequest } from 'fastify';
import type { Config } from '../config/config.js';
import type { Caller, CoreDeps } from '../core/core-deps.js';
import { SiteSettings } from '../core/settings/site-settings.js';
import { requestSite, type RequestSite } from './request-site.js';
import { SessionHandle } from './session/session-handle.js';

/** What every protocol and page works with: the site the request reached, its session, the site's settings, the caller. */
export interface RequestContext {
  site: RequestSite;
  session: SessionHandle;
  settings: SiteSettings;
  caller: Caller;
}

/**
 * Builds a request's context, once, the same way for Services, the Drupal 8 dialect and the web pages: the
 * site (base URL, cookie name) from configuration and the request, the Drupal session its cookie names, the
 * settings, and the caller the core is given. Services passes the site and the session its authentication
 * step already opened. `core` is what the request works with throughout (Services and the Drupal 8 dialect
 * pass the request's own view of the store, depsForRequest).
 */
export async function openRequestContext(config: Config, core: CoreDeps, request: FastifyRequest,
  opened: { site?: RequestSite; session?: SessionHandle } = {}): Promise<RequestContext> {
  const site = opened.site ?? requestSite(config, request);
  const session = opened.session ?? await SessionHandle.open(core, site.cookie, sessionCookieValue(request, site.cookie.name), request.ip);
  const settings = await SiteSettings.load(core.store.variables, config.siteDefaults);
  return { site, session, settings, caller: { actor: session.actor, ip: request.ip, settings, baseUrl: site.baseUrl, basePath: site.basePath } };
}

/** The caller once the request's session changed hands (a login or logout inside the request). */
export function callerAfterSessionChange(context: Pick<RequestContext, 'caller' | 'session'>): Caller {
  return { ...context.caller, actor: context.session.actor };
}

/** The session cookie's value as PHP's $_COOKIE has it (first occurrence), or null when absent or empty. */
export function sessionCookieValue(request: FastifyRequest, name: string): string | null {
  const value = (request.cookies as Record<string, string | undefined> | undefined)?.[name];
  return typeof value === 'string' && value !== '' ? value : null;
}
