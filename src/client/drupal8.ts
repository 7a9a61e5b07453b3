/**
 * The Drupal 8+ core REST client (the second dialect Gatehouse speaks) over the same transports as the
 * Services client: `?_format=json` on every route, the login's `csrf_token` (or `GET /session/token`) in
 * `X-CSRF-Token` on unsafe requests of a session, the login's `logout_token` as `?token=` of logout,
 * entities in field lists (`{"name":[{"value":"bob"}]}`). Errors are `GatehouseClientError`s (`{"message"}`).
 */
import { GatehouseClientError } from './errors.js';
import { exchange, type Method } from './exchange.js';
import { Trace } from './trace.js';
import type { Transport } from './transport.js';
import { joinUrl } from './url.js';

export interface Drupal8ClientOptions {
  baseUrl: string;
  /** Prefix of the Drupal 8 paths on the server (Gatehouse's `drupal8.path`); '' by default. */
  path?: string;
  trace?: boolean | Trace;
}

export interface Drupal8LoginResult {
  current_user: { uid: string; name: string; roles?: string[] };
  csrf_token: string;
  logout_token: string;
}

/** A user entity: field name → items. */
export type Drupal8Entity = Record<string, Array<Record<string, unknown>>>;

/** What a client carries across processes besides its cookies. */
export interface Drupal8SessionState { csrfToken?: string; logoutToken?: string }

/** `{name: 'bob', pass: {value: 'x', existing: 'y'}}` → `{name: [{value: 'bob'}], pass: [{value: 'x', existing: 'y'}]}`. */
export function toFieldLists(values: Record<string, unknown>): Drupal8Entity {
  const out: Drupal8Entity = {};
  for (const [k, v] of Object.entries(values)) {
    out[k] = Array.isArray(v) ? (v as Array<Record<string, unknown>>) : v !== null && typeof v === 'object' ? [v as Record<string, unknown>] : [{ value: v }];
  }
  return out;
}

export class Drupal8Client {
  readonly baseUrl: string;
  readonly trace: Trace | undefined;
  private readonly prefix: string;
  private csrfToken: string | undefined;
  private logoutToken: string | undefined;

  constructor(protected readonly transport: Transport, options: Drupal8ClientOptions) {
    if (!/^https?:\/\//i.test(options.baseUrl)) throw new TypeError(`baseUrl must be an http(s) URL, got ${options.baseUrl}`);
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.prefix = (options.path ?? '').replace(/^\/+|\/+$/g, '');
    this.trace = options.trace === true ? new Trace() : options.trace || undefined;
  }

  exportState(): Drupal8SessionState { return { csrfToken: this.csrfToken, logoutToken: this.logoutToken }; }
  importState(s: Drupal8SessionState): void { this.csrfToken = s.csrfToken; this.logoutToken = s.logoutToken; }

  private url(path: string, query: Record<string, string> = {}): string {
    const q = new URLSearchParams({ _format: 'json', ...query }).toString();
    return `${joinUrl(this.baseUrl, this.prefix, path)}?${q}`;
  }

  private async send<T>(method: Method, url: string, json?: unknown, note?: string): Promise<T> {
    const unsafe = method !== 'GET';
    if (unsafe && this.csrfToken === undefined && this.transport.cookies && (await this.transport.cookies.hasSession(this.baseUrl))) await this.token('automatic');
    const r = await exchange(this.transport, this.trace, { method, url, json, accept: '', note, csrfToken: unsafe ? this.csrfToken : undefined });
    if (r.status < 200 || r.status >= 300) throw new GatehouseClientError({ status: r.status, reasonPhrase: r.reasonPhrase, body: r.body, method, url });
    return r.body as T;
  }

  /** `POST /user/login?_format=json`: keeps both tokens. */
  async login(name: string, pass: string): Promise<Drupal8LoginResult> {
    const r = await exchange(this.transport, this.trace, { method: 'POST', url: this.url('user/login'), json: { name, pass }, accept: '' });
    if (r.status !== 200) throw new GatehouseClientError({ status: r.status, reasonPhrase: r.reasonPhrase, body: r.body, method: 'POST', url: this.url('user/login') });
    const result = r.body as Drupal8LoginResult;
    this.csrfToken = result.csrf_token;
    this.logoutToken = result.logout_token;
    return result;
  }

  /** `GET /user/login_status?_format=json`: whether the session is logged in. */
  async loginStatus(): Promise<boolean> {
    return String(await this.send<unknown>('GET', this.url('user/login_status'))).trim() === '1';
  }

  /** `GET /session/token`: the session's header token, kept for unsafe requests. */
  async token(note?: string): Promise<string> {
    const url = joinUrl(this.baseUrl, this.prefix, 'session/token');
    const r = await exchange(this.transport, this.trace, { method: 'GET', url, accept: '', note });
    if (r.status !== 200) throw new GatehouseClientError({ status: r.status, reasonPhrase: r.reasonPhrase, body: r.body, method: 'GET', url });
    this.csrfToken = r.text.trim();
    return this.csrfToken;
  }

  /** `POST /user/logout?_format=json&token=…` (the login's logout token): 204. */
  async logout(): Promise<true> {
    await this.send('POST', this.url('user/logout', { token: this.logoutToken ?? '' }));
    this.csrfToken = undefined;
    this.logoutToken = undefined;
    return true;
  }

  getUser(uid: number | string): Promise<Drupal8Entity> {
    return this.send('GET', this.url(`user/${uid}`));
  }

  /** `PATCH /user/{uid}`: plain values or items (`pass: {value, existing}`) become field lists. */
  updateUser(uid: number | string, values: Record<string, unknown>): Promise<Drupal8Entity> {
    return this.send('PATCH', this.url(`user/${uid}`), toFieldLists(values));
  }

  async deleteUser(uid: number | string): Promise<true> {
    await this.send('DELETE', this.url(`user/${uid}`));
    return true;
  }

  /** `POST /user/register?_format=json`; the new account is not logged in. */
  register(values: Record<string, unknown>): Promise<Drupal8Entity> {
    return this.send('POST', this.url('user/register'), toFieldLists(values));
  }

  /** `POST /user/password?_format=json` by name (or by mail when it has an `@`): always true. */
  async requestPassword(nameOrMail: string): Promise<true> {
    await this.send('POST', this.url('user/password'), nameOrMail.includes('@') ? { mail: nameOrMail } : { name: nameOrMail });
    return true;
  }
}
