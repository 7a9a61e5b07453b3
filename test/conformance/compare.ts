// Comparing a live response with the recorded one, after the substitutions of ./substitutions.ts.
// Compared: status code, reason phrase, Content-Type, Set-Cookie headers, body by content type. Normalised
// (and nothing else): secrets through the bijection, hosts, session cookie names, learned uids, 10-digit
// epochs, password hashes, one-time-login link hashes, Content-Type spacing and charset case, the expires
// date of a cookie that is not a deletion, and JSON/PHP object key order. See README.md.
import type { RawResponse } from './raw-http.js';
import type { MailRecord, RecordedResponse } from './transcripts.js';
import { header, headerAll } from './transcripts.js';
import { SECRET_RE, Substitutions } from './substitutions.js';
import type { BToken, XmlElement } from './formats.js';
import { bodyKind, isText, parseBencode, parseJsonish, parsePhpSerialized, parseXml, PHP_CLASS_KEY } from './formats.js';

const PASSWORD_HASH_RE = /U?\$[SHP]\$[./0-9A-Za-z]{50,}|\$2[abxy]\$\d\d\$[./0-9A-Za-z]{53}|\$argon2(?:id|i|d)\$[^\s"'<>]+/g;
const LINK_RE = /(\/user\/reset\/[0-9]+\/)1[0-9]{9}\/[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g;
const EPOCH_RE = /(?<![0-9])1[0-9]{9}(?![0-9])/g;
const isEpoch = (v: unknown) => /^1[0-9]{9}$/.test(String(v));

const typeOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
const show = (v: unknown, n = 100) => {
  const s = v === undefined ? 'undefined' : JSON.stringify(v);
  return s.length > n ? `${s.slice(0, n)}…` : s;
};
const keyName = (k: string) => (k === PHP_CLASS_KEY ? '<class>' : k);

/** "at char N: expected …, got …" around the first differing character. */
export function firstDifference(expected: string, got: string): string {
  let i = 0;
  while (i < expected.length && i < got.length && expected[i] === got[i]) i++;
  if (i === expected.length && i === got.length) return 'equal';
  const from = Math.max(0, i - 30);
  const around = (s: string) => (from ? '…' : '') + s.slice(from, i + 50) + (s.length > i + 50 ? '…' : '');
  return `at char ${i}: expected ${JSON.stringify(around(expected))}, got ${JSON.stringify(around(got))}`;
}

export class Comparer {
  constructor(readonly subs: Substitutions) {}

  /** Split a string into literal runs and secrets, after wildcarding password hashes and reset links. */
  private static split(s: string): { lits: string[]; secrets: string[] } {
    const t = s.replace(PASSWORD_HASH_RE, '<PASSWORD-HASH>').replace(LINK_RE, '$1<TS>/<LINK-HASH>');
    const lits: string[] = [];
    const secrets: string[] = [];
    let at = 0;
    for (const m of t.matchAll(SECRET_RE)) {
      lits.push(t.slice(at, m.index));
      secrets.push(m[0]);
      at = (m.index ?? 0) + m[0].length;
    }
    lits.push(t.slice(at));
    return { lits, secrets };
  }

  /** Recorded vs live string; learns secret pairs (bijectively). */
  str(rec: string, live: string, where: string): string | null {
    const d0 = this.subs.learnName(rec, live);
    if (d0) return `${where}: ${d0}`;
    const r = Comparer.split(rec);
    const l = Comparer.split(live);
    const want = r.lits.map((x) => this.subs.expectLiteral(x).replace(EPOCH_RE, '<TS>'));
    const got = l.lits.map((x) => x.replace(EPOCH_RE, '<TS>'));
    if (r.secrets.length !== l.secrets.length || want.some((x, i) => x !== got[i])) {
      const join = (xs: string[], n: number) => xs.map((x, i) => x + (i < n ? '<SECRET>' : '')).join('');
      return `${where}: ${firstDifference(join(want, r.secrets.length), join(got, l.secrets.length))}`;
    }
    for (let i = 0; i < r.secrets.length; i++) {
      const d = this.subs.secrets.pair(r.secrets[i], l.secrets[i]);
      if (d) return `${where}: ${d}`;
    }
    return null;
  }

  /** JSON / PHP values: types, array order and key presence significant; object key order not. */
  value(rec: unknown, live: unknown, path: string, key?: string): string | null {
    const tr = typeOf(rec);
    const tl = typeOf(live);
    if (tr !== tl) return `${path}: expected ${tr} ${show(rec)}, got ${tl} ${show(live)}`;
    if (key === 'uid' && (tr === 'string' || tr === 'number')) {
      const d = this.subs.pairUid(String(rec), String(live));
      return d ? `${path}: ${d}` : null;
    }
    if (tr === 'string') return this.str(rec as string, live as string, path);
    if (tr === 'number') return rec === live || (isEpoch(rec) && isEpoch(live)) ? null : `${path}: expected ${rec}, got ${live}`;
    if (tr === 'array') {
      const a = rec as unknown[];
      const b = live as unknown[];
      if (a.length !== b.length) return `${path}: expected ${a.length} items, got ${b.length}: ${show(b)}`;
      for (let i = 0; i < a.length; i++) {
        const d = this.value(a[i], b[i], `${path}[${i}]`);
        if (d) return d;
      }
      return null;
    }
    if (tr === 'object') {
      const a = rec as Record<string, unknown>;
      const b = live as Record<string, unknown>;
      const missing = Object.keys(a).filter((k) => !(k in b));
      const extra = Object.keys(b).filter((k) => !(k in a));
      if (missing.length || extra.length) {
        const m = missing.length ? ` missing ${missing.map(keyName).join(',')}` : '';
        const e = extra.length ? ` extra ${extra.map(keyName).join(',')}` : '';
        return `${path}: keys differ:${m}${e}`;
      }
      // uid first, so that a new account's uid is learned before the uri that contains it
      const keys = Object.keys(a).sort((x, y) => Number(y === 'uid') - Number(x === 'uid'));
      for (const k of keys) {
        const d = this.value(a[k], b[k], `${path}.${keyName(k)}`, k);
        if (d) return d;
      }
      return null;
    }
    return rec === live ? null : `${path}: expected ${show(rec)}, got ${show(live)}`;
  }

  /** XML: elements whose children are distinct tags compare as maps, other children in order. */
  xml(rec: XmlElement, live: XmlElement, parent: string): string | null {
    const path = `${parent}/${rec.tag}`;
    if (rec.tag !== live.tag) return `${path}: expected <${rec.tag}>, got <${live.tag}>`;
    const ra = Object.keys(rec.attrs).sort();
    const la = Object.keys(live.attrs).sort();
    if (ra.join() !== la.join()) return `${path}: attributes expected [${ra}], got [${la}]`;
    for (const k of ra) {
      const d = this.str(rec.attrs[k], live.attrs[k], `${path}@${k}`);
      if (d) return d;
    }
    const rc = rec.children;
    const lc = live.children;
    if (rec.tag === 'uid' && rc.length === 1 && lc.length === 1 && isText(rc[0]) && isText(lc[0])) {
      const d = this.subs.pairUid(rc[0].text, lc[0].text);
      return d ? `${path}: ${d}` : null;
    }
    const tags = rc.map((c) => (isText(c) ? '#text' : c.tag));
    if (rc.length > 1 && !tags.includes('#text') && new Set(tags).size === tags.length) {
      const ltags = lc.map((c) => (isText(c) ? '#text' : c.tag));
      if ([...tags].sort().join() !== [...ltags].sort().join()) return `${path}: children expected [${tags}], got [${ltags}]`;
      const order = [...rc].sort((x, y) => Number((y as XmlElement).tag === 'uid') - Number((x as XmlElement).tag === 'uid'));
      for (const c of order as XmlElement[]) {
        const d = this.xml(c, lc.find((x) => !isText(x) && x.tag === c.tag) as XmlElement, path);
        if (d) return d;
      }
      return null;
    }
    if (rc.length !== lc.length) return `${path}: expected ${rc.length} child nodes, got ${lc.length}`;
    for (let i = 0; i < rc.length; i++) {
      const a = rc[i];
      const b = lc[i];
      if (isText(a) !== isText(b)) return `${path}[${i}]: expected ${isText(a) ? 'text' : `<${(a as XmlElement).tag}>`}, got ${isText(b) ? 'text' : `<${(b as XmlElement).tag}>`}`;
      const d = isText(a) ? this.str(a.text, (b as { text: string }).text, `${path}/text()`) : this.xml(a, b as XmlElement, path);
      if (d) return d;
    }
    return null;
  }

  /** bencode token streams, token by token. */
  tokens(rec: BToken[], live: BToken[]): string | null {
    for (let i = 0; i < Math.min(rec.length, live.length); i++) {
      const a = rec[i];
      const b = live[i];
      const where = `token ${i}`;
      const desc = (t: BToken) => ('v' in t ? `${t.t} ${show(t.v)}` : t.t);
      if (a.t !== b.t) return `${where}: expected ${desc(a)}, got ${desc(b)}`;
      if (!('v' in a) || !('v' in b)) continue;
      const prev = rec[i - 1];
      if (prev && prev.t === 's' && prev.v === 'uid') {
        const d = this.subs.pairUid(String(a.v), String(b.v));
        if (d) return `${where}: ${d}`;
      } else if (a.t === 'i') {
        if (!(a.v === b.v || (isEpoch(a.v) && isEpoch(b.v)))) return `${where}: expected i${a.v}e, got i${b.v}e`;
      } else {
        const d = this.str(String(a.v), String(b.v), where);
        if (d) return d;
      }
    }
    return rec.length === live.length ? null : `expected ${rec.length} tokens, got ${live.length}`;
  }

  /** Body by the recorded Content-Type. Empty must stay empty. */
  body(rec: RecordedResponse, live: RawResponse): string | null {
    const rb = rec.body ?? '';
    const lb = live.body ?? '';
    if (rb === '' || lb === '') {
      return rb === lb ? null : `body: expected ${rb === '' ? 'empty' : show(rb, 80)}, got ${lb === '' ? 'empty' : show(lb, 80)}`;
    }
    const kind = bodyKind(header(rec.headers, 'content-type'));
    const parse = (s: string): unknown => {
      if (kind === 'json') return parseJsonish(s);
      if (kind === 'xml') return parseXml(s);
      if (kind === 'php') return parsePhpSerialized(s);
      return parseBencode(s);
    };
    let r: unknown;
    try {
      r = kind === 'text' ? undefined : parse(rb);
    } catch {
      r = undefined; // the recording itself is not of its declared type: compare as text
    }
    if (r === undefined) return this.str(rb, lb, 'body');
    let l: unknown;
    try {
      l = parse(lb);
    } catch (e) {
      return `body: not valid ${kind} (${(e as Error).message}): ${show(lb, 100)}`;
    }
    if (kind === 'json') {
      const [a, b] = [r as ReturnType<typeof parseJsonish>, l as ReturnType<typeof parseJsonish>];
      if (a.wrapper !== b.wrapper) return `body: JSONP wrapper expected ${show(a.wrapper || '(plain JSON)')}, got ${show(b.wrapper || '(plain JSON)')}`;
      return this.value(a.value, b.value, 'body');
    }
    if (kind === 'xml') return this.xml(r as XmlElement, l as XmlElement, 'body:');
    if (kind === 'php') return this.value(r, l, 'body');
    const d = this.tokens(r as BToken[], l as BToken[]);
    return d ? `body: ${d}` : null;
  }
}

/** Content-Type with the spacing around ';' and the case of the charset parameter normalised. */
export function normContentType(ct: string | undefined): string {
  if (ct === undefined) return '(none)';
  return ct
    .split(';')
    .map((p, i) => (i > 0 && /^\s*charset=/i.test(p) ? p.trim().toLowerCase() : p.trim()))
    .join('; ');
}

export interface ParsedCookie {
  name: string;
  value: string;
  effect: 'new' | 'deleted';
  attrs: string[];
}

export function parseSetCookie(line: string): ParsedCookie {
  const [nv, ...rest] = line.split(';').map((s) => s.trim()).filter(Boolean);
  const eq = (nv ?? '').indexOf('=');
  const name = eq < 0 ? (nv ?? '') : nv.slice(0, eq);
  const value = eq < 0 ? '' : nv.slice(eq + 1);
  const deleted = value === 'deleted' || rest.some((a) => /^max-age=0$/i.test(a) || /^expires=.*1970/i.test(a));
  const attrs = rest.map((a) => {
    const j = a.indexOf('=');
    const k = (j < 0 ? a : a.slice(0, j)).trim().toLowerCase();
    if (j < 0) return k;
    return k === 'expires' && !deleted ? 'expires=<DATE>' : `${k}=${a.slice(j + 1).trim()}`;
  });
  return { name, value, effect: deleted ? 'deleted' : 'new', attrs };
}

/** Every difference between a recorded and a live response, most basic first (empty: they match). */
export function compareResponse(rec: RecordedResponse, live: RawResponse, subs: Substitutions): string[] {
  const c = new Comparer(subs);
  const diffs: string[] = [];
  if (rec.status !== live.status) diffs.push(`status: expected ${rec.status}, got ${live.status} (${live.statusLine})`);
  const dr = c.str(rec.reason, live.reason, 'reason');
  if (dr) diffs.push(dr);
  const [rct, lct] = [normContentType(header(rec.headers, 'content-type')), normContentType(header(live.headers, 'content-type'))];
  if (rct !== lct) diffs.push(`content-type: expected ${rct}, got ${lct}`);
  const dc = compareCookies(headerAll(rec.headers, 'set-cookie'), headerAll(live.headers, 'set-cookie'), c);
  if (dc) diffs.push(dc);
  const db = c.body(rec, live);
  if (db) diffs.push(db);
  return diffs;
}

function compareCookies(recLines: string[], liveLines: string[], c: Comparer): string | null {
  const rec = recLines.map(parseSetCookie);
  const live = liveLines.map(parseSetCookie);
  rec.forEach((r, i) => live[i] && c.subs.learnName(r.name, live[i].name));
  const list = (xs: ParsedCookie[], map: boolean) =>
    xs.length ? xs.map((x) => `${x.effect}(${map ? c.subs.mapName(x.name) : x.name})`).join(', ') : 'none';
  if (rec.length !== live.length) return `set-cookie: expected ${list(rec, true)}, got ${list(live, false)}`;
  for (let i = 0; i < rec.length; i++) {
    const [r, l] = [rec[i], live[i]];
    if (c.subs.mapName(r.name) !== l.name || r.effect !== l.effect) return `set-cookie: expected ${list(rec, true)}, got ${list(live, false)}`;
    const want = r.attrs.map((a) => c.subs.expectLiteral(a)).join('; ');
    if (want !== l.attrs.join('; ')) return `set-cookie ${l.name}: attributes expected "${want}", got "${l.attrs.join('; ')}"`;
    const d = c.str(r.value, l.value, `set-cookie ${l.name} value`);
    if (d) return d;
  }
  return null;
}

/** A `mails` step: the recorded projection against the server's captured mails. */
export function compareMails(rec: MailRecord[], live: MailRecord[], subs: Substitutions): string | null {
  const proj = (m: MailRecord) => ({ id: m.id, to: m.to, from: m.from, subject: m.subject, body: m.body });
  return new Comparer(subs).value(rec.map(proj), live.map(proj), 'mails');
}
