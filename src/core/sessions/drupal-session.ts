import { recordAccountEvent } from '../audit/account-events.js';
import { actorFor } from '../auth/permissions.js';
import type { CoreDeps, FlashMessage } from '../core-deps.js';
import { csrfToken } from '../crypto/csrf-token.js';
import { hashSessionId, newSessionId } from '../crypto/session-id.js';
import type { Account, Actor, SessionRecord } from '../model.js';
import { decodeSessionData, encodeSessionData, type SessionData } from './session-data.js';
import { SessionManager } from './session-manager.js';

/** What the request's session cookie must become: set to a (new) id, or deleted. In order; a protocol writes each. */
export type CookieChange = { set: string } | { deleted: true };

/** Where a session was found: the id its cookie carried, its row and who it belongs to. */
export interface OpenedSession { rawSid: string | null; record: SessionRecord | null; actor: Actor }

/**
 * One request's Drupal session, its whole lifecycle (Drupal's rules): who the session belongs to, what it
 * stores, and what its cookie must become. Sessions are lazy (a visitor gets a row and a cookie only once
 * something is stored), a login regenerates the id, an empty anonymous session is destroyed, `users.access`
 * is refreshed at most once per session_write_interval. Knows no HTTP: protocols turn `cookieChanges` into
 * their headers (src/protocols/session/session-handle.ts).
 */
export class DrupalSession {
  readonly cookieChanges: CookieChange[] = [];
  /** The id the request's cookie carried, if any (after a login: the new one). */
  rawSid: string | null;
  record: SessionRecord | null;
  actor: Actor;
  private data: SessionData;
  private dirty = false;
  private readonly manager: SessionManager;

  protected constructor(
    private readonly deps: CoreDeps,
    /** Over HTTPS the id is kept in `ssid` too, as Drupal 7 keeps it. */
    private readonly secure: boolean,
    opened: OpenedSession,
    private readonly hostname: string,
  ) {
    this.manager = new SessionManager(deps.store.sessions);
    this.rawSid = opened.rawSid;
    this.record = opened.record;
    this.actor = opened.actor;
    this.data = opened.record ? safeDecode(opened.record.session) : {};
  }

  /** Finds the session a cookie value names; a blocked account's session reads as anonymous. */
  static async find(deps: CoreDeps, rawSid: string | null): Promise<OpenedSession> {
    const record = rawSid ? (await new SessionManager(deps.store.sessions).find(rawSid)) ?? null : null;
    let account: Account | null = null;
    if (record && record.uid > 0) {
      const found = await deps.store.accounts.byUid(record.uid);
      if (found && found.status === 1) account = found;
    }
    return { rawSid, record, actor: await actorFor(deps.store.roles, account) };
  }

  /** A session with nobody behind it (endpoints without session authentication). */
  static async nobody(deps: CoreDeps): Promise<OpenedSession> {
    return { rawSid: null, record: null, actor: await actorFor(deps.store.roles, null) };
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
    const rawSid = await this.manager.regenerate({ previousRawSid: this.rawSid, uid: account.uid, hostname: this.hostname, now, data: encodeSessionData(this.data), secure: this.secure });
    await this.deps.store.accounts.update(account.uid, { login });
    this.rawSid = rawSid;
    this.displayId = rawSid;
    this.record = { sid: hashSessionId(rawSid), ssid: this.secure ? hashSessionId(rawSid) : '', uid: account.uid, hostname: this.hostname, timestamp: now, cache: 0, session: encodeSessionData(this.data) };
    this.actor = await actorFor(this.deps.store.roles, { ...account, login });
    this.dirty = false;
    // PHP sends the cookie twice when the request came with one (session_regenerate_id, then setcookie).
    this.cookieChanges.push({ set: rawSid });
    if (hadCookie) this.cookieChanges.push({ set: rawSid });
  }

  /** Ends the session: row deleted, cookie expired, the caller anonymous from here on. */
  async logOut(): Promise<void> {
    if (this.actor.uid !== 0) await recordAccountEvent(this.deps, { actor: this.actor, ip: this.hostname }, 'logout', { uid: this.actor.uid, name: this.actor.name });
    if (this.rawSid) await this.manager.destroy(this.rawSid);
    this.cookieChanges.push({ deleted: true });
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
        await this.manager.write({ rawSid, uid: 0, hostname: this.hostname, now, data: encodeSessionData(this.data), secure: this.secure });
        if (!hasRow) {
          this.cookieChanges.push({ set: rawSid });
          if (this.rawSid !== null) this.cookieChanges.push({ set: rawSid });
          this.rawSid = rawSid;
        }
      } else if (empty && this.rawSid !== null && this.cookieChanges.length === 0) {
        await this.manager.destroy(this.rawSid);
        this.cookieChanges.push({ deleted: true });
      }
      return;
    }
    if (this.record && this.rawSid) {
      if (this.dirty) await this.manager.write({ rawSid: this.rawSid, uid: this.actor.uid, hostname: this.hostname, now, data: encodeSessionData(this.data), secure: this.secure });
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
