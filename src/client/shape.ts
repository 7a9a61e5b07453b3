/**
 * Normalising answers of two servers so that only meaningful differences remain: session ids and tokens,
 * ids, timestamps and the servers' own URLs are replaced by placeholders, keeping their JSON type
 * (`"uid":"5"` and `"uid":5` still differ); then a deep comparison lists differences by JSON path.
 */

const SECRET = /^[A-Za-z0-9_-]{43}$/;
const EPOCH = /^\d{10}$/;
const TIME_KEYS = new Set(['created', 'changed', 'access', 'login', 'timestamp']);
const ID_KEYS = new Set(['uid', 'sessid', 'sid', 'ssid', 'token', 'pass_reset_token']);

export interface NormalizeContext {
  /** The server's base URL, replaced by `<base>` inside strings. */
  baseUrl: string;
  /** Literal strings to replace (e.g. the random name of a registered account) → placeholder. */
  replace?: Record<string, string>;
}

function placeholder(kind: string, v: unknown): string {
  return `<${kind}:${typeof v}>`;
}

function normString(s: string, ctx: NormalizeContext): string {
  if (SECRET.test(s)) return '<secret>';
  if (EPOCH.test(s)) return '<time>';
  let out = s.split(ctx.baseUrl).join('<base>');
  out = out.replace(/\bS?SESS[0-9a-f]{32}\b/g, '<session-name>');
  for (const [lit, ph] of Object.entries(ctx.replace ?? {})) out = out.split(lit).join(ph);
  return out;
}

export function normalize(value: unknown, ctx: NormalizeContext, key?: string): unknown {
  if (key !== undefined && TIME_KEYS.has(key) && value !== null && typeof value !== 'object') return placeholder('time', value);
  if (key !== undefined && ID_KEYS.has(key) && value !== null && typeof value !== 'object') return placeholder('id', value);
  if (key === 'hostname' && typeof value === 'string') return '<hostname>';
  if (typeof value === 'string') return normString(value, ctx);
  if (typeof value === 'number' && EPOCH.test(String(value))) return placeholder('time', value);
  if (Array.isArray(value)) return value.map((v) => normalize(v, ctx));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = normalize(v, ctx, k);
    return out;
  }
  return value;
}

const show = (v: unknown): string => {
  const s = JSON.stringify(v);
  return s === undefined ? 'undefined' : s.length > 80 ? `${s.slice(0, 80)}…` : s;
};

const kind = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/** Differences between two normalised values, as `$.path: A …, B …` lines (at most `limit`). */
export function deepDiff(a: unknown, b: unknown, path = '$', out: string[] = [], limit = 20): string[] {
  if (out.length >= limit) return out;
  if (kind(a) !== kind(b)) {
    out.push(`${path}: A ${show(a)}, B ${show(b)}`);
    return out;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) out.push(`${path}: A has ${a.length} item(s), B ${b.length}`);
    for (let i = 0; i < Math.min(a.length, b.length); i++) deepDiff(a[i], b[i], `${path}[${i}]`, out, limit);
    return out;
  }
  if (a && b && typeof a === 'object') {
    const ra = a as Record<string, unknown>;
    const rb = b as Record<string, unknown>;
    for (const k of Object.keys(ra)) {
      if (!(k in rb)) out.push(`${path}.${k}: only in A (${show(ra[k])})`);
      else deepDiff(ra[k], rb[k], `${path}.${k}`, out, limit);
    }
    for (const k of Object.keys(rb)) if (!(k in ra)) out.push(`${path}.${k}: only in B (${show(rb[k])})`);
    return out;
  }
  if (a !== b) out.push(`${path}: A ${show(a)}, B ${show(b)}`);
  return out;
}

/** A Set-Cookie header reduced to what matters: `SESS…: new|deleted` plus its attributes (no dates). */
export function cookieEffect(setCookie: string): string {
  const [pair, ...attrs] = setCookie.split(';').map((s) => s.trim());
  const eq = pair.indexOf('=');
  const name = pair.slice(0, eq).replace(/^S?SESS[0-9a-f]{32}$/, (m) => (m.startsWith('SS') ? '<secure-session-name>' : '<session-name>'));
  const value = pair.slice(eq + 1);
  const keep = attrs.filter((a) => !/^expires=/i.test(a)).map((a) => a.toLowerCase()).sort();
  return `${name}: ${value === 'deleted' ? 'deleted' : 'new'} [${keep.join('; ')}]`;
}
