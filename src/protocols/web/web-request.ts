import type { FastifyReply, FastifyRequest } from 'fastify';
import type { WriteBack } from '../../strangler/write-back.js';
import { USER_AGENT_KEY } from '../session/session-browser.js';
import type { Config } from '../../config/config.js';
import { PERMISSIONS } from '../../core/auth/permissions.js';
import { type AuditEventName, type AuditLog, purgeExpiredEvents } from '../../core/audit/audit-log.js';
import { recordAccountEvent } from '../../core/audit/account-events.js';
import type { ConsoleQueries } from '../../core/console/console-queries.js';
import type { Caller, CoreDeps, FlashMessage } from '../../core/core-deps.js';
import { can } from '../../core/model.js';
import { SiteSettings } from '../../core/settings/site-settings.js';
import { callerAfterSessionChange, openRequestContext } from '../request-context.js';
import type { RequestSite } from '../request-site.js';
import { type MultipartForm, parseMultipartWithFiles, type UploadedFile } from '../services3/parsers/multipart.js';
import { parsePhpQueryString } from '../services3/parsers/urlencoded.js';
import { SessionHandle } from '../session/session-handle.js';
import { FormGuard, sessionBinding, WEB_FORM_COOKIE } from './form-guard.js';
import { esc, type Message, page, PAGE_HEADERS } from './html.js';

/** The console's reads and the audit log, over the local database. */
export interface WebConsoleStores {
  queries: ConsoleQueries;
  audit: AuditLog;
  /** Strangler mode: the writes owed to the legacy database. */
  writeBack?: Pick<WriteBack, 'list' | 'status' | 'flushNow'>;
}

/** What every page handler is given. */
export interface WebDeps extends WebConsoleStores { config: Config; core: CoreDeps }

export { USER_AGENT_KEY };

/**
 * One page request: the site it reached, the Drupal session (the same cookie as the API), the caller the core
 * is given, the submitted form and its CSRF guard. Built once per request; `send`/`redirect` end it (session
 * committed, cookies set).
 */
export class WebRequest {
  readonly form: URLSearchParams;
  /** The form as PHP parses it (bracketed names nest), for inputs named like Drupal's field widgets. */
  readonly nestedForm: Record<string, unknown>;

  /** The files of a multipart form, by input name (the first of each). */
  private readonly files = new Map<string, UploadedFile>();

  private constructor(
    readonly deps: WebDeps, readonly site: RequestSite, readonly session: SessionHandle, public caller: Caller,
    readonly guard: FormGuard, readonly userAgent: string, body: MultipartForm,
  ) {
    this.form = new URLSearchParams(body.pairs);
    this.nestedForm = body.fields;
    for (const file of body.files) if (!this.files.has(file.field)) this.files.set(file.field, file);
  }

  static async open(deps: WebDeps, request: FastifyRequest): Promise<WebRequest> {
    const { site, session, caller } = await openRequestContext(deps.config, deps.core, request);
    const cookies = request.cookies as Record<string, string | undefined>;
    const guard = new FormGuard(deps.core.keys, cookies[WEB_FORM_COOKIE], { secure: site.https, path: `${site.basePath}/` });
    const userAgent = String(request.headers['user-agent'] ?? '').slice(0, 255);
    const web = new WebRequest(deps, site, session, caller, guard, userAgent, await submittedForm(request));
    // "My sessions" shows the browser of each session: remembered the first time a page sees the session.
    if (session.authenticated && userAgent !== '' && session.get(USER_AGENT_KEY) === undefined) session.set(USER_AGENT_KEY, userAgent);
    return web;
  }

  get core(): CoreDeps { return this.deps.core; }
  get settings(): SiteSettings { return this.caller.settings; }
  get uid(): number { return this.session.actor.uid; }
  get admin(): boolean { return can(this.session.actor, PERMISSIONS.administerUsers); }
  get siteName(): string { return this.settings.string('site_name', 'Drupal'); }
  /** A path below the site's base path. */
  path(p: string): string { return `${this.site.basePath}${p}`; }

  /** The CSRF token for a form of this page, bound to the current session. */
  token(formId: string): string { return this.guard.token(formId, sessionBinding(this.uid, this.session.rawSid)); }

  /** Whether the submitted form carries the right token for `formId`. */
  tokenValid(formId: string): boolean {
    return this.guard.check(formId, sessionBinding(this.uid, this.session.rawSid), this.form.get('form_token'));
  }

  field(name: string): string { return this.form.get(name) ?? ''; }

  /** The file sent in the form's file input `name` (a multipart form), if one was chosen. */
  upload(name: string): UploadedFile | undefined { return this.files.get(name); }

  /**
   * Records an account event done by this request's caller (or, `as`, by the account it just logged in as),
   * and now and then drops events older than the site's retention.
   */
  async audit(event: AuditEventName, target: { uid: number; name: string } | null, detail = ''): Promise<void> {
    await recordAccountEvent({ ...this.core, audit: this.deps.audit }, this.caller, event, target, detail);
  }

  /** Drops the audit events older than the site's retention (before the log is shown or exported). */
  async purgeAudit(): Promise<void> {
    await purgeExpiredEvents(this.deps.audit, this.caller, this.core.clock.now());
  }

  /** The caller after a login or logout changed who is acting. */
  refreshCaller(): void { this.caller = callerAfterSessionChange(this); }

  /** Drupal's messages waiting in the session (drupal_set_message), taken out as a page shows them. */
  private takeMessages(): Message[] {
    const stored = this.session.get('messages');
    if (stored === null || typeof stored !== 'object') return [];
    this.session.delete('messages');
    const out: Message[] = [];
    for (const type of ['status', 'warning', 'error'] as const) {
      const list = (stored as Record<string, unknown>)[type];
      if (Array.isArray(list)) for (const text of list) out.push({ type, html: String(text) });
    }
    return out;
  }

  /** Sends a whole page: the layout around `content`, the session committed, its cookies and the form nonce's set. */
  async send(reply: FastifyReply, status: number, title: string, content: string, messages: Message[] = []): Promise<FastifyReply> {
    const actor = this.session.actor;
    const user = actor.uid > 0 ? { uid: actor.uid, name: actor.name, admin: this.admin, logoutToken: this.token('logout') } : null;
    const html = page({ siteName: this.siteName, title, basePath: this.site.basePath, user, messages: [...this.takeMessages(), ...messages], strangler: this.deps.writeBack !== undefined }, content);
    await this.session.commit();
    return reply.code(status).headers(PAGE_HEADERS).header('Set-Cookie', this.cookies()).send(html);
  }

  /** 303 to `path` (below the base path), leaving `messages` in the session for the next page. */
  async redirect(reply: FastifyReply, path: string, messages: FlashMessage[] = []): Promise<FastifyReply> {
    this.session.flash(messages);
    await this.session.commit();
    return reply.code(303).header('Location', this.path(path)).header('Cache-Control', 'no-store').header('Set-Cookie', this.cookies()).send('');
  }

  denied(reply: FastifyReply): Promise<FastifyReply> {
    const hint = this.uid === 0 ? `<p><a href="${esc(this.path('/user/login'))}">Log in</a> to see this page.</p>` : '';
    return this.send(reply, 403, 'Access denied', `<p>You are not authorized to access this page.</p>${hint}`);
  }

  /** The form did not come from this site's page (or the page is stale): nothing is changed. */
  refused(reply: FastifyReply): Promise<FastifyReply> {
    return this.send(reply, 403, 'Form refused', '<p>This form could not be verified (it did not come from this site, it is outdated, or cookies are off). Nothing was changed. Please reload the page and try again.</p>');
  }

  private cookies(): string[] {
    return [...this.session.setCookies, ...(this.guard.setCookie ? [this.guard.setCookie] : [])];
  }
}

/** The form of a POST: urlencoded (the default), or multipart when it carries a file input. */
async function submittedForm(request: FastifyRequest): Promise<MultipartForm> {
  const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
  const type = String(request.headers['content-type'] ?? '');
  if (/^multipart\/form-data\b/i.test(type)) return parseMultipartWithFiles(type, raw);
  return { pairs: [...new URLSearchParams(raw.toString('utf8'))], fields: parsePhpQueryString(raw), files: [] };
}
