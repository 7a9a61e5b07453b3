/** Small HTTP helpers for black-box tests: what a client sees (status, reason phrase, headers, body). */
export interface Seen {
  status: number;
  reason: string;
  headers: Headers;
  setCookies: string[];
  text: string;
  json: any;
}

export async function call(url: string, init: RequestInit & { json?: unknown } = {}): Promise<Seen> {
  const headers = new Headers(init.headers);
  let body = init.body;
  if (init.json !== undefined) {
    body = JSON.stringify(init.json);
    if (!headers.has('content-type')) headers.set('content-type', 'application/json');
  }
  if (!headers.has('accept')) headers.set('accept', 'application/json');
  const res = await fetch(url, { ...init, headers, body, redirect: 'manual' });
  const text = await res.text();
  let json: unknown;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { status: res.status, reason: res.statusText, headers: res.headers, setCookies: res.headers.getSetCookie(), text, json };
}

/** The cookie a client builds by hand from a login answer: `session_name=sessid`. */
export const cookieOf = (login: { session_name: string; sessid: string }): string => `${login.session_name}=${login.sessid}`;
