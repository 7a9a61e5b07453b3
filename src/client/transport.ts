/**
 * What the core client needs from its environment: a `fetch`-like function and, where the platform does
 * not manage cookies itself (Node), a cookie store. Browsers manage cookies (`credentials: 'include'`), so
 * the browser build passes no store. Nothing here imports a Node module.
 */

/** The subset of `fetch` the client uses. Node 20's global fetch and any browser fetch fit. */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

/** A cookie jar, as the Node build implements it with tough-cookie. */
export interface CookieStore {
  /** The `Cookie` header value for a request to `url` ('' when none). */
  cookieHeader(url: string): Promise<string>;
  /** Store the `Set-Cookie` headers of a response from `url` (deletions included). */
  store(url: string, setCookies: string[]): Promise<void>;
  /** Add `name=value` for `url` by hand, as clients that build the cookie from a login answer do. */
  put(url: string, name: string, value: string): Promise<void>;
  /** Whether a Drupal session cookie (`SESS…`/`SSESS…`) is held for `url`. */
  hasSession(url: string): Promise<boolean>;
  /** Drop every cookie. */
  clear(): Promise<void>;
}

/** How requests leave the client. */
export interface Transport {
  fetch: FetchLike;
  /** Absent in browsers: the browser sends and stores cookies itself. */
  cookies?: CookieStore;
  /** Extra `fetch` init merged into every request, e.g. `{credentials: 'include'}`. */
  init?: RequestInit;
  /** Protocol label shown on traced status lines (`HTTP/1.1` for Node's fetch; unknown in browsers). */
  protocol?: string;
  /** Whether `Set-Cookie` headers are readable from responses (Node: yes; browsers: never). */
  canReadSetCookie?: boolean;
}
