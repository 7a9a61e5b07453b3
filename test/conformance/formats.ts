// Small parsers for the response formats Services 3.x speaks, so bodies are compared by structure:
// JSON / JSONP, XML, PHP serialize() and bencode. Every parser throws on malformed input.

export type BodyKind = 'json' | 'xml' | 'php' | 'bencode' | 'text';

export function bodyKind(contentType: string | undefined): BodyKind {
  const ct = (contentType ?? '').toLowerCase();
  if (ct.includes('php.serialized')) return 'php';
  if (ct.includes('bencode')) return 'bencode';
  if (ct.includes('json') || ct.includes('javascript')) return 'json';
  if (ct.includes('xml')) return 'xml';
  return 'text';
}

// ---------------------------------------------------------------- JSON / JSONP
export interface Jsonish {
  /** The JSONP callback, null for plain JSON. */
  callback: string | null;
  /** The text around the JSON value ("cb(" + … + ");"), '' for plain JSON. */
  wrapper: string;
  value: unknown;
}

export function parseJsonish(text: string): Jsonish {
  try {
    return { callback: null, wrapper: '', value: JSON.parse(text) };
  } catch {
    const m = /^([A-Za-z0-9_$.[\]]+)\(([\s\S]*)\)(;?\s*)$/.exec(text);
    if (!m) throw new Error('neither JSON nor JSONP');
    return { callback: m[1], wrapper: `${m[1]}(…)${m[3]}`, value: JSON.parse(m[2]) };
  }
}

// ---------------------------------------------------------------- XML
export interface XmlElement {
  tag: string;
  attrs: Record<string, string>;
  children: XmlNode[];
}
export type XmlNode = XmlElement | { text: string };
export const isText = (n: XmlNode): n is { text: string } => 'text' in n;

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
function unescapeXml(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (all, e: string) => {
    if (e[0] !== '#') return ENTITIES[e] ?? all;
    return String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
  });
}

/** Elements, attributes, text (entities decoded), CDATA; skips the prolog, comments, PIs and doctype.
 * Text nodes made only of whitespace are dropped. */
export function parseXml(src: string): XmlElement {
  let i = 0;
  const fail = (what: string): never => {
    throw new Error(`XML: ${what} at offset ${i}`);
  };
  const skipMisc = () => {
    for (;;) {
      while (i < src.length && /\s/.test(src[i])) i++;
      const close = src.startsWith('<?', i) ? '?>' : src.startsWith('<!--', i) ? '-->' : src.startsWith('<!DOCTYPE', i) ? '>' : null;
      if (!close) return;
      const j = src.indexOf(close, i);
      if (j < 0) fail('unterminated prolog item');
      i = j + close.length;
    }
  };
  const element = (): XmlElement => {
    const name = /^<([^\s/>]+)/.exec(src.slice(i, i + 256));
    if (!name) return fail('expected an element');
    i += name[0].length;
    const el: XmlElement = { tag: name[1], attrs: {}, children: [] };
    for (;;) {
      while (/\s/.test(src[i] ?? '')) i++;
      if (src.startsWith('/>', i)) return (i += 2), el;
      if (src[i] === '>') break;
      const a = /^([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/.exec(src.slice(i));
      if (!a) return fail('bad attribute');
      el.attrs[a[1]] = unescapeXml(a[2] ?? a[3]);
      i += a[0].length;
    }
    i++;
    for (;;) {
      if (i >= src.length) fail(`unterminated <${el.tag}>`);
      if (src.startsWith('</', i)) {
        const j = src.indexOf('>', i);
        if (src.slice(i + 2, j).trim() !== el.tag) fail(`mismatched end tag for <${el.tag}>`);
        i = j + 1;
        return el;
      }
      if (src.startsWith('<!--', i)) {
        i = src.indexOf('-->', i) + 3;
      } else if (src.startsWith('<![CDATA[', i)) {
        const j = src.indexOf(']]>', i);
        el.children.push({ text: src.slice(i + 9, j) });
        i = j + 3;
      } else if (src[i] === '<') {
        el.children.push(element());
      } else {
        const j = src.indexOf('<', i);
        const t = src.slice(i, j < 0 ? src.length : j);
        i = j < 0 ? src.length : j;
        if (t.trim() !== '') el.children.push({ text: unescapeXml(t) });
      }
    }
  };
  skipMisc();
  const root = element();
  skipMisc();
  if (i !== src.length) fail('content after the root element');
  return root;
}

// ---------------------------------------------------------------- PHP serialize()
/** Key under which a PHP object's class name is kept (cannot collide with a real property name). */
export const PHP_CLASS_KEY = '\u0000class';

/** PHP serialize() → a JSON-like value: lists (keys 0..n-1) become arrays, other arrays and objects become
 * plain objects (objects keep their class under PHP_CLASS_KEY). String lengths are byte lengths. */
export function parsePhpSerialized(text: string): unknown {
  const b = Buffer.from(text, 'utf8');
  let i = 0;
  const fail = (what: string): never => {
    throw new Error(`PHP: ${what} at byte ${i}`);
  };
  const upTo = (ch: string) => {
    const j = b.indexOf(ch, i);
    if (j < 0) fail(`missing ${ch}`);
    const s = b.subarray(i, j).toString('utf8');
    i = j + 1;
    return s;
  };
  const lit = (s: string) => {
    if (b.subarray(i, i + s.length).toString('latin1') !== s) fail(`expected ${s}`);
    i += s.length;
  };
  const str = () => {
    const n = Number(upTo(':'));
    if (!Number.isInteger(n) || n < 0) fail('bad string length');
    lit('"');
    const s = b.subarray(i, i + n).toString('utf8');
    i += n;
    lit('"');
    return s;
  };
  const value = (): unknown => {
    const t = String.fromCharCode(b[i++]);
    if (t === 'N') return lit(';'), null;
    lit(':');
    if (t === 'b') return upTo(';') === '1';
    if (t === 'i' || t === 'd') return Number(upTo(';'));
    if (t === 's') {
      const s = str();
      lit(';');
      return s;
    }
    if (t !== 'a' && t !== 'O') return fail(`unknown type ${t}`);
    let cls: string | null = null;
    if (t === 'O') {
      cls = str();
      lit(':');
    }
    const n = Number(upTo(':'));
    lit('{');
    const entries: Array<[unknown, unknown]> = [];
    for (let k = 0; k < n; k++) entries.push([value(), value()]);
    lit('}');
    if (cls === null && entries.every(([k], idx) => k === idx)) return entries.map(([, v]) => v);
    const o: Record<string, unknown> = cls === null ? {} : { [PHP_CLASS_KEY]: cls };
    for (const [k, v] of entries) o[String(k)] = v;
    return o;
  };
  const v = value();
  if (i !== b.length) fail('trailing bytes');
  return v;
}

// ---------------------------------------------------------------- bencode
/** bencode → a flat token stream. Services' encoder writes nothing for FALSE, leaving dictionaries with an
 * odd number of items, so the stream (not a tree) is what is compared. */
export type BToken = { t: 'i'; v: number } | { t: 's'; v: string } | { t: 'l' | 'd' | 'e' };

export function parseBencode(text: string): BToken[] {
  const b = Buffer.from(text, 'utf8');
  const out: BToken[] = [];
  let depth = 0;
  let i = 0;
  while (i < b.length) {
    const c = String.fromCharCode(b[i]);
    if (c === 'i') {
      const j = b.indexOf('e', i);
      const n = Number(b.subarray(i + 1, j).toString('latin1'));
      if (j < 0 || Number.isNaN(n)) throw new Error(`bencode: bad integer at ${i}`);
      out.push({ t: 'i', v: n });
      i = j + 1;
    } else if (c === 'l' || c === 'd') {
      out.push({ t: c });
      depth++;
      i++;
    } else if (c === 'e') {
      if (--depth < 0) throw new Error(`bencode: unbalanced e at ${i}`);
      out.push({ t: 'e' });
      i++;
    } else if (c >= '0' && c <= '9') {
      const j = b.indexOf(':', i);
      const n = Number(b.subarray(i, j).toString('latin1'));
      if (j < 0 || !Number.isInteger(n) || j + 1 + n > b.length) throw new Error(`bencode: bad string at ${i}`);
      out.push({ t: 's', v: b.subarray(j + 1, j + 1 + n).toString('utf8') });
      i = j + 1 + n;
    } else {
      throw new Error(`bencode: unexpected ${JSON.stringify(c)} at ${i}`);
    }
  }
  if (depth !== 0) throw new Error('bencode: unclosed list or dictionary');
  return out;
}
