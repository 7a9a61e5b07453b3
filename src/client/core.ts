/**
 * The Services 3.x client over any `fetch`-like transport. It performs the request sequences a Drupal 7
 * Services site expects: login without a token, the CSRF token bound to the session (from the login answer
 * or `GET /services/session/token`), the token on every unsafe request of a session, one retry after
 * `401 … CSRF validation failed`, and connect → token → register → token for visitors.
 * Platform specifics (cookie jar or browser cookies) come in through the `Transport`.
 */
import { GatehouseClientError } from './errors.js';
import { exchange, type ExchangeResult, type Method } from './exchange.js';
import { Trace } from './trace.js';
import type { Transport } from './transport.js';
import type {
  AnonymousUser, ConnectResult, CreateResult, DrupalUser, LoginApiVersion, LoginResult, NewAccount, PassResetLink, PassResetResult,
} from './types.js';
import { encodeQuery, joinUrl } from './url.js';
import { unwrapBoolean, UsersApi, type CallOptions, type EndpointCaller } from './users.js';

export interface ClientOptions {
  /** Site base URL, e.g. `http://127.0.0.1:8080` (a base path such as `http://host/drupal` is kept). */
  baseUrl: string;
  /** Endpoint path (default `rest`). */
  endpoint?: string;
  /**
   * Login/logout API version. Unset: version 1.0 field names (`username`/`password`), no version header.
   * Set: that version's field names and the `Services-User-Login-Version`/`…-Logout-Version` headers.
   */
  loginApiVersion?: LoginApiVersion;
  /** Record every exchange: `true` for a new `Trace`, or a shared one. */
  trace?: boolean | Trace;
}

/** What a client can carry across processes (the Node build adds its cookie jar). */
export interface ClientSessionState {
  token?: string;
  authenticated?: boolean;
}

export class GatehouseClient implements EndpointCaller {
  readonly baseUrl: string;
  readonly endpoint: string;
  readonly loginApiVersion: LoginApiVersion | undefined;
  readonly trace: Trace | undefined;
  readonly users: UsersApi;
  protected readonly transport: Transport;
  private tokenValue: string | undefined;
  private authenticated = false;

  constructor(transport: Transport, options: ClientOptions) {
    if (!/^https?:\/\//i.test(options.baseUrl)) throw new TypeError(`baseUrl must be an http(s) URL, got ${options.baseUrl}`);
    this.transport = transport;
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.endpoint = (options.endpoint ?? 'rest').replace(/^\/+|\/+$/g, '');
    this.loginApiVersion = options.loginApiVersion;
    this.trace = options.trace === true ? new Trace() : options.trace || undefined;
    this.users = new UsersApi(this);
  }

  /** The CSRF token the client currently sends (undefined before one is known). */
  get csrfToken(): string | undefined {
    return this.tokenValue;
  }

  /** `http://host/rest` + `user/1` (+ query). */
  endpointUrl(path: string, query?: Record<string, unknown>): string {
    const q = encodeQuery(query);
    return joinUrl(this.baseUrl, this.endpoint, path) + (q ? `?${q}` : '');
  }

  exportState(): ClientSessionState {
    return { token: this.tokenValue, authenticated: this.authenticated };
  }

  importState(state: ClientSessionState): void {
    this.tokenValue = state.token;
    this.authenticated = state.authenticated ?? false;
  }

  /** Whether a session may exist, i.e. unsafe requests need a token. */
  protected async mayHaveSession(): Promise<boolean> {
    if (this.authenticated) return true;
    return this.transport.cookies ? this.transport.cookies.hasSession(this.baseUrl) : false;
  }

  private fail(method: string, url: string, r: ExchangeResult): never {
    throw new GatehouseClientError({ status: r.status, reasonPhrase: r.reasonPhrase, body: r.body, method, url });
  }

  /**
   * `GET /services/session/token` (a Drupal path outside the endpoint): the CSRF token of the current
   * session, which the client keeps and sends from now on. Without a session it is useless (new every time).
   */
  async token(note?: string): Promise<string> {
    const url = joinUrl(this.baseUrl, 'services/session/token');
    const r = await exchange(this.transport, this.trace, { method: 'GET', url, accept: '', note });
    if (r.status !== 200) this.fail('GET', url, r);
    this.tokenValue = r.text.trim();
    return this.tokenValue;
  }

  /** `POST {endpoint}/user/token` (the CSRF-exempt action): `{"token": …}`; kept like `token()`. */
  async userToken(): Promise<string> {
    const r = await this.call<{ token: string }>('POST', 'user/token');
    this.tokenValue = r.token;
    return r.token;
  }

  /** Any endpoint call, with the token rules applied; throws `GatehouseClientError` on a non-2xx answer. */
  async call<T>(method: Method, path: string, opts: CallOptions = {}): Promise<T> {
    const url = this.endpointUrl(path, opts.query);
    const unsafe = method !== 'GET';
    const exempt = path === 'user/token';
    if (unsafe && !exempt && this.tokenValue === undefined && (await this.mayHaveSession())) await this.token('automatic');
    const send = (note?: string) =>
      exchange(this.transport, this.trace, {
        method, url, json: opts.json, headers: opts.headers, note: note ?? opts.note,
        csrfToken: unsafe && !exempt ? this.tokenValue : undefined,
      });
    let r = await send();
    if (unsafe && !exempt && r.status === 401 && isCsrfFailure(r)) {
      await this.token('automatic, after CSRF failure');
      r = await send('retry');
    }
    if (r.status < 200 || r.status >= 300) this.fail(method, url, r);
    return r.body as T;
  }

  /** `POST {endpoint}/system/connect`: the session's user (anonymous: uid 0). */
  async connect(): Promise<ConnectResult> {
    const r = await this.call<ConnectResult>('POST', 'system/connect');
    this.authenticated = Number(r.user?.uid ?? 0) !== 0;
    return r;
  }

  /** The current user, from `system/connect`. */
  async whoami(): Promise<DrupalUser | AnonymousUser> {
    return (await this.connect()).user;
  }

  /** `POST {endpoint}/user/login`; keeps the answer's token (no `/services/session/token` round trip). */
  async login(name: string, pass: string): Promise<LoginResult> {
    const v = this.loginApiVersion;
    const json = v === '1.1' ? { name, pass } : { username: name, password: pass };
    const headers = v ? { 'Services-User-Login-Version': v } : undefined;
    const r = await this.call<LoginResult>('POST', 'user/login', { json, headers });
    this.tokenValue = r.token;
    this.authenticated = true;
    // Clients of the original protocol build the cookie from the answer: do so if no Set-Cookie arrived.
    const jar = this.transport.cookies;
    if (jar && r.session_name && r.sessid && !(await jar.hasSession(this.baseUrl))) await jar.put(this.baseUrl, r.session_name, r.sessid);
    return r;
  }

  /** `POST {endpoint}/user/logout`: `true` (v1.0) or the anonymous user (v1.1). Forgets the token. */
  async logout(): Promise<true | AnonymousUser> {
    const v = this.loginApiVersion;
    const headers = v ? { 'Services-User-Logout-Version': v } : undefined;
    const r = await this.call<unknown>('POST', 'user/logout', { headers });
    this.tokenValue = undefined;
    this.authenticated = false;
    if (r && typeof r === 'object' && !Array.isArray(r)) return r as AnonymousUser;
    return true;
  }

  /**
   * Registers an account the way a visitor's client must: connect → token → `POST user/register`, then a
   * fresh token, because a successful registration (no verification, no approval) logs the account in.
   */
  async register(account: NewAccount): Promise<CreateResult> {
    await this.connect();
    await this.token();
    const r = await this.call<CreateResult>('POST', 'user/register', { json: account });
    await this.token('refresh after register');
    return r;
  }

  /** `POST {endpoint}/user/request_new_password`: mails a one-time login link; `false` if the mail failed. */
  async requestNewPassword(nameOrMail: string): Promise<boolean> {
    return unwrapBoolean(await this.call<unknown>('POST', 'user/request_new_password', { json: { name: nameOrMail } }));
  }

  /**
   * `POST {endpoint}/user/user_pass_reset` with a one-time link's parts. The site logs the account in with a
   * new session, so the token is refreshed; pass `pass_reset_token` to `users.update(uid, {pass}, …)`.
   */
  async userPassReset(link: PassResetLink): Promise<PassResetResult> {
    const json = { uid: link.uid, timestamp: link.timestamp, hashed_pass: link.hashed_pass };
    const r = await this.call<PassResetResult>('POST', 'user/user_pass_reset', { json });
    this.authenticated = true;
    await this.token('refresh after one-time login');
    return r;
  }
}

function isCsrfFailure(r: ExchangeResult): boolean {
  const body = Array.isArray(r.body) ? String(r.body[0]) : typeof r.body === 'string' ? r.body : '';
  return /CSRF validation failed/.test(`${r.reasonPhrase} ${body}`);
}
