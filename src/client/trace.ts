/**
 * The record of every exchange the client made, and its rendering as a numbered sequence:
 *
 *   1. POST http://127.0.0.1:8080/rest/user/login
 *      Content-Type: application/json
 *      {"username":"admin","password":"***"}
 *      → HTTP/1.1 200 OK
 *      Set-Cookie: SESSfe96…=_XBe…; expires=…; Max-Age=2000000; path=/; HttpOnly
 *      {"sessid":"_XBe…","session_name":"SESSfe96…","token":"B8aD…","user":{…}}
 */

/** One request and its answer. Only the headers that matter to the protocol are kept. */
export interface TraceEntry {
  /** 1-based position in the sequence. */
  n: number;
  method: string;
  url: string;
  request: {
    cookie?: string;
    csrfToken?: string;
    contentType?: string;
    /** Other protocol headers sent (`Accept`, `Services-User-Login-Version`). */
    extra?: Record<string, string>;
    body?: string;
  };
  response: {
    status: number;
    reasonPhrase: string;
    /** `HTTP/1.1 200 OK` (the protocol label is omitted where the platform hides it). */
    statusLine: string;
    contentType?: string;
    /** Raw `Set-Cookie` headers (none visible in browsers). */
    setCookie: string[];
    body: string;
  };
  /** Why the client made this request, e.g. `token (automatic)`, `retry after CSRF failure`. */
  note?: string;
  ms: number;
}

export interface RenderOptions {
  /** Mask `password`, `pass`, `current_pass`, `pass1`, `pass2` values in request bodies (default true). */
  redactPasswords?: boolean;
  /** Cut bodies longer than this (default 160; 0 = never). */
  maxBody?: number;
  /** Show the `Accept`/version headers too (default false). */
  allHeaders?: boolean;
}

/** Collects exchanges; `render()` prints them as a numbered sequence. */
export class Trace {
  readonly entries: TraceEntry[] = [];

  /** `offset`: exchanges already made (by an earlier process, say), so numbering continues after them. */
  constructor(readonly offset = 0) {}

  /** Exchanges numbered so far, the offset included. */
  get count(): number {
    return this.offset + this.entries.length;
  }

  add(entry: Omit<TraceEntry, 'n'>): TraceEntry {
    const e = { ...entry, n: this.count + 1 };
    this.entries.push(e);
    return e;
  }

  clear(): void {
    this.entries.length = 0;
  }

  /** One line per exchange: `1. POST http://…/rest/user/login → 200 OK`. */
  summary(): string[] {
    return this.entries.map((e) => `${e.n}. ${e.method} ${e.url} → ${e.response.status}${e.response.reasonPhrase ? ` ${e.response.reasonPhrase}` : ''}`);
  }

  render(opts: RenderOptions = {}): string {
    return this.entries.map((e) => renderEntry(e, opts)).join('\n');
  }
}

const PASSWORD_KEYS = /("(?:password|pass|current_pass|pass1|pass2)"\s*:\s*)"(?:[^"\\]|\\.)*"/g;
const PASSWORD_FORM = /((?:^|&)(?:password|pass|current_pass)=)[^&]*/g;

export function redactPasswords(body: string): string {
  return body.replace(PASSWORD_KEYS, '$1"***"').replace(PASSWORD_FORM, '$1***');
}

function cut(s: string, max: number): string {
  return max > 0 && s.length > max ? `${s.slice(0, max)}…` : s;
}

export function renderEntry(e: TraceEntry, opts: RenderOptions = {}): string {
  const max = opts.maxBody ?? 160;
  const pad = ' '.repeat(String(e.n).length + 2);
  const lines = [`${e.n}. ${e.method} ${e.url}${e.note ? `   (${e.note})` : ''}`];
  const r = e.request;
  if (r.cookie) lines.push(`${pad}Cookie: ${r.cookie}`);
  if (r.csrfToken !== undefined) lines.push(`${pad}X-CSRF-Token: ${r.csrfToken}`);
  if (r.contentType) lines.push(`${pad}Content-Type: ${r.contentType}`);
  if (opts.allHeaders && r.extra) for (const [k, v] of Object.entries(r.extra)) lines.push(`${pad}${k}: ${v}`);
  if (r.body) lines.push(`${pad}${cut(opts.redactPasswords === false ? r.body : redactPasswords(r.body), max)}`);
  const s = e.response;
  lines.push(`${pad}→ ${s.statusLine}`);
  if (opts.allHeaders && s.contentType) lines.push(`${pad}Content-Type: ${s.contentType}`);
  for (const c of s.setCookie) lines.push(`${pad}Set-Cookie: ${c}`);
  if (s.body) lines.push(`${pad}${cut(s.body.replace(/\s*\n\s*/g, ' '), max)}`);
  return lines.join('\n');
}
