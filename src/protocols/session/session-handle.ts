import type { CoreDeps } from '../../core/core-deps.js';
import { DrupalSession, type OpenedSession } from '../../core/sessions/drupal-session.js';
import { type CookieSpec, deletedCookieHeader, sessionCookieHeader } from './session-cookie.js';

export { MAX_MESSAGES } from '../../core/sessions/drupal-session.js';

/**
 * A request's Drupal session (its lifecycle is the core's DrupalSession) with its cookie: the Set-Cookie
 * headers the request ends with. Shared by every protocol (Services 3.x, the Drupal 8 dialect, the web pages):
 * the session and its cookie are one, whichever dialect made them.
 */
export class SessionHandle extends DrupalSession {
  private readonly headers: string[] = [];

  private constructor(deps: CoreDeps, readonly cookie: CookieSpec, opened: OpenedSession, hostname: string) {
    super(deps, cookie.secure, opened, hostname);
  }

  /** Loads the session a cookie value names; a blocked account's session reads as anonymous. */
  static async open(deps: CoreDeps, cookie: CookieSpec, rawSid: string | null, hostname: string): Promise<SessionHandle> {
    return new SessionHandle(deps, cookie, await DrupalSession.find(deps, rawSid), hostname);
  }

  /** A session with nobody behind it (endpoints without session authentication). */
  static async anonymous(deps: CoreDeps, cookie: CookieSpec, hostname: string): Promise<SessionHandle> {
    return new SessionHandle(deps, cookie, await DrupalSession.nobody(deps), hostname);
  }

  /** The Set-Cookie headers for what the session's cookie became, in order (each dated when first read). */
  get setCookies(): string[] {
    while (this.headers.length < this.cookieChanges.length) {
      const change = this.cookieChanges[this.headers.length];
      this.headers.push('set' in change ? sessionCookieHeader(this.cookie, change.set, Date.now()) : deletedCookieHeader(this.cookie));
    }
    return this.headers;
  }
}
