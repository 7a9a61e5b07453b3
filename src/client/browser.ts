/**
 * Browser build: the browser's own `fetch`, cookies managed by the browser (`credentials: 'include'`).
 * Imports no Node module, so it can be bundled as is. The server must allow the page's origin with
 * credentials (CORS) and the `X-CSRF-Token` header; `Set-Cookie` is never visible to scripts, so traces
 * show no cookies, and the reason phrase is empty over HTTP/2 (errors fall back to the body's message).
 */
import { GatehouseClient, type ClientOptions } from './core.js';
import type { FetchLike } from './transport.js';

export interface BrowserClientOptions extends ClientOptions {
  /** Defaults to `globalThis.fetch`. */
  fetch?: FetchLike;
  /** `include` (default) sends the session cookie cross-origin too; `same-origin` keeps it to the page's origin. */
  credentials?: RequestCredentials;
}

export function createBrowserClient(options: BrowserClientOptions): GatehouseClient {
  const f: FetchLike = options.fetch ?? ((url, init) => globalThis.fetch(url, init));
  return new GatehouseClient({ fetch: f, init: { credentials: options.credentials ?? 'include' }, canReadSetCookie: false }, options);
}
