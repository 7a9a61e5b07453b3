/** Helpers for the Drupal 8+ dialect's black-box tests: a cookie jar of one, and the usual calls. */
import { call, type Seen } from '../../helpers/http.js';

export interface D8Session { cookie: string; csrf: string; logout: string; login: Seen }

/** The `name=value` of the first Set-Cookie that is not a deletion. */
export function cookieFrom(seen: Seen): string {
  const set = seen.setCookies.find((c) => !c.includes('=deleted'));
  if (!set) throw new Error(`no session cookie in ${seen.status} ${seen.text}`);
  return set.split(';')[0];
}

export async function d8Login(url: string, name: string, pass: string): Promise<D8Session> {
  const login = await call(`${url}/user/login?_format=json`, { method: 'POST', json: { name, pass } });
  if (login.status !== 200) throw new Error(`login ${name}: ${login.status} ${login.text}`);
  return { cookie: cookieFrom(login), csrf: login.json.csrf_token, logout: login.json.logout_token, login };
}

/** PATCH /user/{uid} with a field-list body, the session cookie and (unless null) the header token. */
export function d8Patch(url: string, uid: number | string, s: { cookie: string; csrf: string | null }, body: unknown): Promise<Seen> {
  const headers: Record<string, string> = { cookie: s.cookie };
  if (s.csrf !== null) headers['X-CSRF-Token'] = s.csrf;
  return call(`${url}/user/${uid}?_format=json`, { method: 'PATCH', headers, json: body });
}
