import { actorFor } from '../../core/auth/permissions.js';
import type { CoreDeps } from '../../core/core-deps.js';
import type { FlashMessage } from '../../core/core-deps.js';
import { csrfToken } from '../../core/crypto/csrf-token.js';
import { hashSessionId, newSessionId } from '../../core/crypto/session-id.js';
import type { Account, Actor, SessionRecord } from '../../core/model.js';
import { decodeSessionData, encodeSessionData, type SessionData } from '../../core/sessions/session-data.js';
import { SessionManager } from '../../core/sessions/session-manager.js';
import { type CookieSpec, deletedCookieHeader, sessionCookieHeader } from './session-cookie.js';

/**
 * One request's view of its Drupal session: who the session belongs to, what it stores, and the
 * Set-Cookie headers the request ends with. Drupal's rules: sessions are lazy (a visitor gets a row and a
 * cookie only once something is stored), a login regenerates the id, an empty anonymous session is destroyed.
 * Shared by every protocol (Services 3.x, the Drupal 8 dialect, the web pages): the session and its cookie are
 * one, whichever dialect made them.
 */
export class SessionHandle {
  readonly setCookies: string[] = [];
  private data: SessionData;
  private dirty = false;
  private readonly manager: SessionManager;

  private constructor(
    private readonly deps: CoreDeps,
    readonly cookie: CookieSpec,
    /** The id the request's cookie carried, if any. */
    public rawSid: string | null,
    public record: SessionRecord | null,
    public actor: Actor,
    private readonly hostname: string,
  ) {
    this.manager = new SessionManager(deps.store.sessions);
    this.data = record ? safeDecode(record.session) : {};
  }

  /** Loads the session a cookie value names; a blocked account's session reads as anonymous. */
  static async open(deps: CoreDeps, cookie: CookieSpec, rawSid: string | null, hostname: string): Promise<SessionHandle> {
    const record = rawSid ? (await new SessionManager(deps.store.sessions).find(rawSid)) ?? null : null;
    let account: Account | null = null;
    if (record && record.uid > 0) {
      const found = await deps.store.accounts.byUid(record.uid);
      if (found && found.status === 1) account = found;
    }
    return new SessionHandle(deps, cookie, rawSid, record, await actorFor(deps.store.roles, account), hostname);
  }

  /** A session with nobody behind it (endpoints without session authentication). */
  static async anonymous(deps: CoreDeps, cookie: CookieSpec, hostname: string): Promise<SessionHandle> {
    return new SessionHandle(deps, cookie, null, null, await actorFor(deps.store.roles, null), hostname);
  }

  get authenticated(): boolean { return this.actor.uid !== 0; }

  /** The id to show for this session: the cookie's, or a throw-away one for a visitor without a cookie. */
  get sessionIdForDisplay(): string {
    this.displayId ??= this.rawSid ?? newSessionId();
    return this.displayId;
  }
  private displayId: string | undefined;

  /** The CSRF token bound to this session's id. */
  token(): string {
    return csrfToken(this.sessionIdForDisplay, this.deps.keys.privateKey, this.deps.keys.hashSalt);
  }

  /**
   * Logs `account` in: new session id (drupal_session_regenerate), Set-Cookie, users.login = now — or later,
   * never back: a one-time login link has just moved it on (see usePassResetLink).
   */
  async logIn(account: Account, extra: SessionData = {}): Promise<void> {
    const now = this.deps.clock.now();
    const login = Math.max(now, account.login);
    this.data = { ...this.data, ...extra };
    const hadCookie = this.rawSid !== null;
    const rawSid = await this.manager.regenerate({ previousRawSid: this.rawSid, uid: account.uid, hostname: this.hostname, now, data: encodeSessionData(this.data), secure: this.cookie.secure });
    await this.deps.store.accounts.update(account.uid, { login });
    this.rawSid = rawSid;
    this.displayId = rawSid;
    this.record = { sid: hashSessionId(rawSid), ssid: this.cookie.secure ? hashSessionId(rawSid) : '', uid: account.uid, hostname: this.hostname, timestamp: now, cache: 0, session: encodeSessionData(this.data) };
    this.actor = await actorFor(this.deps.store.roles, { ...account, login });
    this.dirty = false;
    const header = sessionCookieHeader(this.cookie, rawSid, Date.now());
    this.setCookies.push(header);
    if (hadCookie) this.setCookies.push(header);
  }

  /** Ends the session: row deleted, cookie expired, the caller anonymous from here on. */
  async logOut(): Promise<void> {
    if (this.rawSid) await this.manager.destroy(this.rawSid);
    this.setCookies.push(deletedCookieHeader(this.cookie));
    this.rawSid = null;
    this.record = null;
    this.data = {};
    this.dirty = false;
    this.actor = await actorFor(this.deps.store.roles, null);
  }

  get(key: string): unknown { return this.data[key]; }

  set(key: string, value: unknown): void { this.data[key] = value; this.dirty = true; }

  /** unset($_SESSION[key]). */
  delete(key: string): void {
    if (!(key in this.data)) return;
    delete this.data[key];
    this.dirty = true;
  }

  /**
   * drupal_set_message: appended (repeats included) to `$_SESSION['messages'][type]`, where they stay until
   * a page displays them — Services never does, so they pile up until logout ends the session. Kept in the
   * session of everyone, logged in or not (Services saves what its callback put there once it returns).
   * Bounded: past MAX_MESSAGES per type the oldest go, so a session cannot grow without end.
   */
  flash(messages: FlashMessage[]): void {
    if (messages.length === 0) return;
    const current = this.data.messages;
    const stored: Record<string, string[]> = current !== null && typeof current === 'object' && !Array.isArray(current)
      ? { ...(current as Record<string, string[]>) } : {};
    for (const m of messages) {
      const list = Array.isArray(stored[m.type]) ? [...stored[m.type]] : [];
      list.push(m.text);
      stored[m.type] = list.slice(-MAX_MESSAGES);
    }
    this.set('messages', stored);
  }

  /** End of request: write what changed, create a visitor's session lazily, destroy an empty one. */
  async commit(): Promise<void> {
    const now = this.deps.clock.now();
    const empty = Object.keys(this.data).length === 0;
    if (!this.authenticated) {
      if (!empty && this.dirty) {
        const hasRow = this.record !== null && this.rawSid !== null;
        const rawSid = hasRow ? (this.rawSid as string) : newSessionId();
        await this.manager.write({ rawSid, uid: 0, hostname: this.hostname, now, data: encodeSessionData(this.data), secure: this.cookie.secure });
        if (!hasRow) {
          const header = sessionCookieHeader(this.cookie, rawSid, Date.now());
          this.setCookies.push(header);
          if (this.rawSid !== null) this.setCookies.push(header);
          this.rawSid = rawSid;
        }
      } else if (empty && this.rawSid !== null && this.setCookies.length === 0) {
        await this.manager.destroy(this.rawSid);
        this.setCookies.push(deletedCookieHeader(this.cookie));
      }
      return;
    }
    if (this.record && this.rawSid) {
      if (this.dirty) await this.manager.write({ rawSid: this.rawSid, uid: this.actor.uid, hostname: this.hostname, now, data: encodeSessionData(this.data), secure: this.cookie.secure });
      else await this.manager.touch({ ...this.record }, now, ACCESS_INTERVAL);
    }
    // _drupal_session_write: users.access is refreshed at most once per session_write_interval.
    const account = this.actor.account;
    if (account && now - account.access > ACCESS_INTERVAL) await this.deps.store.accounts.update(account.uid, { access: now });
  }
}

/** How many messages of one type a session keeps (Drupal keeps them all). */
export const MAX_MESSAGES = 50;

/** Drupal's session_write_interval (seconds). */
const ACCESS_INTERVAL = 180;

function safeDecode(text: string): SessionData {
  try { return decodeSessionData(text); } catch { return {}; }
}
