// Helpers for the protocol tests: byte-exact requests over a raw socket, and a logged-in client.
import { sendRaw, type RawResponse } from '../conformance/raw-http.js';
import { call, cookieOf } from '../helpers/http.js';
import { after, before } from 'node:test';
import { startTestServer, type StartOptions, type TestServer } from '../helpers/test-server.js';

export interface Raw extends RawResponse {
  /** A header's value (first occurrence, any case), or null. */
  header(name: string): string | null;
  /** Every Set-Cookie header. */
  setCookies: string[];
}

/**
 * Sends exactly these request bytes: header names in their case, no header added but Host and
 * `Connection: close`; `Content-Length` is added only when a body is given and none of the headers frames it.
 */
export async function raw(s: Pick<TestServer, 'port'>, method: string, path: string, headers: Array<[string, string]> = [], body: string | Buffer | null = null): Promise<Raw> {
  const h: Array<[string, string]> = [['Host', `127.0.0.1:${s.port}`], ...headers, ['Connection', 'close']];
  const framed = headers.some(([k]) => /^(content-length|transfer-encoding)$/i.test(k));
  if (body !== null && !framed) h.push(['Content-Length', String(Buffer.byteLength(body))]);
  const r = await sendRaw({ host: '127.0.0.1', port: s.port, method, path, headers: h, body, timeoutMs: 10_000 });
  const find = (name: string) => r.headers.filter(([k]) => k.toLowerCase() === name.toLowerCase()).map(([, v]) => v);
  return { ...r, header: (name) => find(name)[0] ?? null, setCookies: find('set-cookie') };
}

export interface LoggedIn { cookie: string; token: string; sessid: string; sessionName: string; uid: string }

/** Logs in over the protocol (JSON) and returns what a client keeps: the cookie and the CSRF token. */
export async function logIn(s: TestServer, username: string, password: string): Promise<LoggedIn> {
  const r = await call(`${s.url}/rest/user/login`, { method: 'POST', json: { username, password } });
  if (r.status !== 200) throw new Error(`login ${username}: ${r.status} ${r.reason}`);
  return { cookie: cookieOf(r.json), token: r.json.token, sessid: r.json.sessid, sessionName: r.json.session_name, uid: r.json.user.uid };
}

/**
 * A suite's server (started before its tests, closed after) and its administrator, logged in over the
 * protocol; the returned object is filled in `before`.
 */
export function useServerWithAdmin(o: StartOptions = {}): { s: TestServer; admin: LoggedIn } {
  const suite = {} as { s: TestServer; admin: LoggedIn };
  before(async () => {
    suite.s = await startTestServer(o);
    suite.admin = await logIn(suite.s, 'admin', 'admin');
  });
  after(async () => { await suite.s?.close(); });
  return suite;
}
