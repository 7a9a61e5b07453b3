/**
 * Node build: Node 20's fetch plus a tough-cookie jar, which sends `Cookie` and stores `Set-Cookie` itself
 * (so traces show both). The jar and the token can be saved and restored, which lets the CLI chain commands.
 * This is the only module of the SDK that imports a Node-only package.
 */
import { CookieJar } from 'tough-cookie';
import { GatehouseClient, type ClientOptions, type ClientSessionState } from './core.js';
import { Drupal8Client, type Drupal8ClientOptions, type Drupal8SessionState } from './drupal8.js';
import type { CookieStore, FetchLike } from './transport.js';

const SESSION_COOKIE = /^S?SESS/;

/** The `CookieStore` of the Node build, over a tough-cookie `CookieJar`. */
export class ToughCookieStore implements CookieStore {
  constructor(readonly jar: CookieJar = new CookieJar()) {}

  cookieHeader(url: string): Promise<string> {
    return this.jar.getCookieString(url);
  }

  async store(url: string, setCookies: string[]): Promise<void> {
    for (const c of setCookies) await this.jar.setCookie(c, url, { ignoreError: true });
  }

  async put(url: string, name: string, value: string): Promise<void> {
    await this.jar.setCookie(`${name}=${value}; Path=/; HttpOnly`, url, { ignoreError: true });
  }

  async hasSession(url: string): Promise<boolean> {
    const cookies = await this.jar.getCookies(url);
    return cookies.some((c) => SESSION_COOKIE.test(c.key));
  }

  async clear(): Promise<void> {
    await this.jar.removeAllCookies();
  }

  /** The jar as JSON-serializable data. */
  serialize(): Promise<unknown> {
    return this.jar.serialize();
  }

  /** Replaces the jar's cookies with those of a `serialize()` result that apply to `url`. */
  async restore(serialized: unknown, url: string): Promise<void> {
    await this.jar.removeAllCookies();
    if (!serialized) return;
    const restored = await CookieJar.deserialize(serialized as Parameters<typeof CookieJar.deserialize>[0]);
    for (const c of await restored.getCookies(url, { allPaths: true })) await this.jar.setCookie(c, url, { ignoreError: true });
  }
}

/** Everything a Node client needs to continue in another process. */
export interface NodeClientState extends ClientSessionState {
  baseUrl: string;
  endpoint: string;
  /** tough-cookie's serialized jar. */
  cookies?: unknown;
  /** Exchanges traced so far, so that a chained command's trace numbering continues. */
  exchanges?: number;
}

export interface NodeClientOptions extends ClientOptions {
  /** Defaults to Node's global fetch. */
  fetch?: FetchLike;
  jar?: CookieJar;
}

export class NodeClient extends GatehouseClient {
  readonly cookieStore: ToughCookieStore;

  constructor(options: NodeClientOptions) {
    const cookieStore = new ToughCookieStore(options.jar);
    const f: FetchLike = options.fetch ?? ((url, init) => fetch(url, init));
    super({ fetch: f, cookies: cookieStore, protocol: 'HTTP/1.1', canReadSetCookie: true }, options);
    this.cookieStore = cookieStore;
  }

  get jar(): CookieJar {
    return this.cookieStore.jar;
  }

  /** The session as JSON-serializable state (cookie jar included). */
  async saveState(): Promise<NodeClientState> {
    return { baseUrl: this.baseUrl, endpoint: this.endpoint, ...this.exportState(), exchanges: this.trace?.count, cookies: await this.cookieStore.serialize() };
  }

  /** Restores a `saveState()` result into this client (its jar is replaced). */
  async loadState(state: NodeClientState): Promise<void> {
    this.importState(state);
    await this.cookieStore.restore(state.cookies, this.baseUrl);
  }
}

/** The Drupal 8+ client with a cookie jar; its state (jar and tokens) chains CLI commands too. */
export class NodeDrupal8Client extends Drupal8Client {
  readonly cookieStore: ToughCookieStore;

  constructor(options: Drupal8ClientOptions & { fetch?: FetchLike; jar?: CookieJar }) {
    const cookieStore = new ToughCookieStore(options.jar);
    const f: FetchLike = options.fetch ?? ((url, init) => fetch(url, init));
    super({ fetch: f, cookies: cookieStore, protocol: 'HTTP/1.1', canReadSetCookie: true }, options);
    this.cookieStore = cookieStore;
  }

  async saveState(): Promise<NodeDrupal8ClientState> {
    return { dialect: 'd8', baseUrl: this.baseUrl, ...this.exportState(), exchanges: this.trace?.count, cookies: await this.cookieStore.serialize() };
  }

  async loadState(state: NodeDrupal8ClientState): Promise<void> {
    this.importState(state);
    await this.cookieStore.restore(state.cookies, this.baseUrl);
  }
}

export interface NodeDrupal8ClientState extends Drupal8SessionState {
  dialect: 'd8';
  baseUrl: string;
  cookies?: unknown;
  exchanges?: number;
}

export function createNodeClient(options: NodeClientOptions): NodeClient {
  return new NodeClient(options);
}

export * from './index.js';
