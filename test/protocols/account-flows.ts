// Helpers for the account-rule tests: a session opened by a one-time login link, the session data a later
// system/connect shows, and requests with a logged-in client's cookie and token.
import assert from 'node:assert/strict';
import { parseResetLink } from '../../src/client/url.js';
import { call, cookieOf, type Seen } from '../helpers/http.js';
import type { TestServer } from '../helpers/test-server.js';
import type { LoggedIn } from './wire.js';

export interface ResetSession { cookie: string; token: string; passResetToken: string; uid: string }

/** request_new_password → the mailed link → user/user_pass_reset: the session and its pass_reset token. */
export async function openResetSession(s: TestServer, name: string): Promise<ResetSession> {
  const requested = await call(`${s.url}/rest/user/request_new_password`, { method: 'POST', json: { name } });
  assert.equal(requested.status, 200, requested.text);
  const mail = (await s.mails()).filter((m) => m.id === 'user_password_reset').pop();
  const link = mail ? parseResetLink(mail.body) : undefined;
  assert.ok(link, 'a one-time login link in the mail');
  const used = await call(`${s.url}/rest/user/user_pass_reset`, { method: 'POST', json: link });
  assert.equal(used.status, 200, used.text);
  const cookie = used.setCookies[0].split(';')[0];
  const token = await call(`${s.url}/services/session/token`, { headers: { cookie } });
  return { cookie, token: token.text, passResetToken: used.json.pass_reset_token, uid: link.uid };
}

/** Cookie and CSRF token headers of a logged-in client. */
export const auth = (c: Pick<LoggedIn, 'cookie' | 'token'>): Record<string, string> => ({ cookie: c.cookie, 'X-CSRF-Token': c.token });

export async function put(s: TestServer, c: Pick<LoggedIn, 'cookie' | 'token'>, path: string, json: unknown): Promise<Seen> {
  return call(`${s.url}/rest/${path}`, { method: 'PUT', headers: auth(c), json });
}

export async function post(s: TestServer, c: Pick<LoggedIn, 'cookie' | 'token'>, path: string, json: unknown = {}): Promise<Seen> {
  return call(`${s.url}/rest/${path}`, { method: 'POST', headers: auth(c), json });
}

/** The session data (`user.session`) system/connect shows for this cookie. */
export async function sessionData(s: TestServer, c: Pick<LoggedIn, 'cookie' | 'token'>): Promise<string> {
  const r = await post(s, c, 'system/connect');
  assert.equal(r.status, 200, r.text);
  return r.json.user.session;
}

/** PHP's serialize() of a string, as Drupal's session data holds it. */
export const phpString = (v: string): string => `s:${Buffer.byteLength(v)}:"${v}";`;

/** `messages|…` as drupal_set_message leaves it: type → list. */
export function messagesData(byType: Record<string, string[]>): string {
  const types = Object.entries(byType);
  return `messages|a:${types.length}:{${types.map(([t, list]) => `${phpString(t)}a:${list.length}:{${list.map((m, i) => `i:${i};${phpString(m)}`).join('')}}`).join('')}}`;
}

export { cookieOf };
