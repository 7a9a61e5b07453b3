/**
 * One HTTP exchange: build the request (JSON body, `Accept: application/json`, cookie, CSRF token), send it
 * through the transport, store the cookies it sets, record it in the trace, and parse the answer.
 * It never throws for an HTTP status: deciding what is an error is the caller's job.
 */
import type { Trace } from './trace.js';
import type { Transport } from './transport.js';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface ExchangeRequest {
  method: Method;
  url: string;
  /** JSON-encoded as the body of POST/PUT/PATCH (`{}` when absent). Ignored for GET/DELETE. */
  json?: unknown;
  csrfToken?: string;
  /** Extra protocol headers (`Services-User-Login-Version`). */
  headers?: Record<string, string>;
  /** `Accept` header; `application/json` unless given (`''` sends none). */
  accept?: string;
  note?: string;
}

export interface ExchangeResult {
  status: number;
  reasonPhrase: string;
  contentType: string;
  /** JSON when the content type says so and it parses; otherwise the text. */
  body: unknown;
  text: string;
  setCookie: string[];
}

function readSetCookie(res: Response): string[] {
  const h = res.headers as Headers & { getSetCookie?: () => string[] };
  if (typeof h.getSetCookie === 'function') return h.getSetCookie();
  const one = res.headers.get('set-cookie');
  return one ? [one] : [];
}

function parseBody(text: string, contentType: string): unknown {
  if (/json/i.test(contentType) && text !== '') {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

export async function exchange(transport: Transport, trace: Trace | undefined, req: ExchangeRequest): Promise<ExchangeResult> {
  const headers: Record<string, string> = {};
  const accept = req.accept ?? 'application/json';
  if (accept) headers.Accept = accept;
  let body: string | undefined;
  if (req.method === 'POST' || req.method === 'PUT' || req.method === 'PATCH') {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(req.json ?? {});
  }
  const cookie = transport.cookies ? await transport.cookies.cookieHeader(req.url) : '';
  if (cookie) headers.Cookie = cookie;
  if (req.csrfToken !== undefined) headers['X-CSRF-Token'] = req.csrfToken;
  Object.assign(headers, req.headers);

  const started = Date.now();
  const res = await transport.fetch(req.url, { ...transport.init, method: req.method, headers, body, redirect: 'manual' });
  const text = await res.text();
  const setCookie = readSetCookie(res);
  if (transport.cookies && setCookie.length) await transport.cookies.store(req.url, setCookie);
  const contentType = res.headers.get('content-type') ?? '';
  const reasonPhrase = res.statusText ?? '';

  if (trace) {
    const extra: Record<string, string> = {};
    if (headers.Accept) extra.Accept = headers.Accept;
    for (const [k, v] of Object.entries(req.headers ?? {})) extra[k] = v;
    const statusLine = `${transport.protocol ? `${transport.protocol} ` : ''}${res.status}${reasonPhrase ? ` ${reasonPhrase}` : ''}`;
    trace.add({
      method: req.method,
      url: req.url,
      request: { cookie: cookie || undefined, csrfToken: req.csrfToken, contentType: headers['Content-Type'], extra, body },
      response: { status: res.status, reasonPhrase, statusLine, contentType: contentType || undefined, setCookie, body: text },
      note: req.note,
      ms: Date.now() - started,
    });
  }
  return { status: res.status, reasonPhrase, contentType, body: parseBody(text, contentType), text, setCookie };
}
