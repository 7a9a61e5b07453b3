/**
 * PHP serialize() / unserialize() for the values of php-values.ts. Used for the `php` response format and to
 * read Drupal's serialized columns (`users.data`, session data).
 */
import {
  intToDecimal, isPhpIntKey, markPhpObject, phpEntries, phpFloatToString, phpKind, utf8ByteLength,
} from './php-values.js';

/** PHP serialize(): `s:<bytes>:"…";`, `i:…;`, `d:…;`, `b:0|1;`, `N;`, `a:n:{…}`, `O:8:"stdClass":n:{…}`. */
export function phpSerialize(value: unknown): string {
  switch (phpKind(value)) {
    case 'null': return 'N;';
    case 'bool': return value ? 'b:1;' : 'b:0;';
    case 'int': return `i:${intToDecimal(value as number | bigint)};`;
    case 'float': return `d:${phpFloatToString(Number(value), -1, 'E')};`;
    case 'string': return serializeString(value as string);
    case 'array': return `a:${serializeMembers(value as object, false)}`;
    case 'object': return `O:8:"stdClass":${serializeMembers(value as object, true)}`;
  }
}

function serializeString(s: string): string {
  return `s:${utf8ByteLength(s)}:"${s}";`;
}

/** `n:{key value …}`; array keys that PHP would make integers are written as `i:`, object keys never are. */
function serializeMembers(v: object, isObject: boolean): string {
  const entries = phpEntries(v);
  const body = entries.map(([key, item]) => {
    const k = !isObject && isPhpIntKey(key) ? `i:${key};` : serializeString(key);
    return k + phpSerialize(item);
  });
  return `${entries.length}:{${body.join('')}}`;
}

/** PHP unserialize() of a whole string; throws an Error on malformed input or trailing data. */
export function phpUnserialize(text: string): unknown {
  const { value, length } = phpUnserializePrefix(text);
  if (length !== text.length) throw new Error(`unserialize: trailing data at offset ${length}`);
  return value;
}

/**
 * Unserializes the value at the start of `text`; `length` is how many characters of `text` it used.
 * Arrays with keys 0..n-1 in order become JS arrays, other arrays plain objects; objects (any class) become
 * plain objects marked as PHP objects. `r:`/`R:` back-references are resolved to the same JS value.
 */
export function phpUnserializePrefix(text: string): { value: unknown; length: number } {
  const reader = new Reader(Buffer.from(text, 'utf8'));
  const value = reader.value(true);
  return { value, length: reader.buf.subarray(0, reader.pos).toString('utf8').length };
}

const MAX_DEPTH = 4096;

class Reader {
  pos = 0;
  private readonly refs: unknown[] = [];
  private depth = 0;
  constructor(readonly buf: Buffer) {}

  value(track: boolean): unknown {
    const type = String.fromCharCode(this.byte());
    if (type === 'R' || type === 'r') {
      this.expect(type + ':');
      const id = Number(this.until(';', /^[0-9]+$/));
      if (id < 1 || id > this.refs.length) this.fail(`bad reference ${id}`);
      const target = this.refs[id - 1];
      if (type === 'r' && track) this.refs.push(target);
      return target;
    }
    const slot = track ? this.refs.push(undefined) - 1 : -1;
    const v = this.scalarOrContainer(type, slot);
    if (slot >= 0) this.refs[slot] = v;
    return v;
  }

  private scalarOrContainer(type: string, slot: number): unknown {
    switch (type) {
      case 'N': this.expect('N;'); return null;
      case 'b': {
        this.expect('b:');
        const b = this.until(';', /^[01]$/);
        return b === '1';
      }
      case 'i': {
        this.expect('i:');
        const n = Number(this.until(';', /^[+-]?[0-9]+$/));
        return Object.is(n, -0) ? 0 : n;
      }
      case 'd': {
        this.expect('d:');
        const t = this.until(';', /^([+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?|-?INF|NAN)$/);
        return t === 'NAN' ? NaN : t === 'INF' ? Infinity : t === '-INF' ? -Infinity : Number(t);
      }
      case 's': this.expect('s:'); return this.stringBody();
      case 'a': {
        this.expect('a:');
        return this.members(false, slot);
      }
      case 'O': {
        this.expect('O:');
        this.stringBody(':');
        return this.members(true, slot);
      }
      default: return this.fail(`unsupported type '${type}'`);
    }
  }

  /** `<len>:"<bytes>"` followed by `terminator`. */
  private stringBody(terminator = ';'): string {
    const len = Number(this.until(':', /^[0-9]+$/));
    this.expect('"');
    if (this.pos + len > this.buf.length) this.fail('string past end of input');
    const s = this.buf.subarray(this.pos, this.pos + len).toString('utf8');
    this.pos += len;
    this.expect('"' + terminator);
    return s;
  }

  /** `<n>:{<key><value>…}` as a list, a plain object or a marked PHP object. */
  private members(isObject: boolean, slot: number): unknown {
    const count = Number(this.until(':', /^[0-9]+$/));
    this.expect('{');
    if (++this.depth > MAX_DEPTH) this.fail('nesting too deep');
    const out: Record<string, unknown> = isObject ? markPhpObject({}) : {};
    if (slot >= 0) this.refs[slot] = out;
    let isList = !isObject;
    for (let i = 0; i < count; i++) {
      const keyType = String.fromCharCode(this.byte());
      if (keyType !== 'i' && keyType !== 's') this.fail('array key must be i: or s:');
      const key = this.value(false) as string | number;
      const name = typeof key === 'number' ? String(key) : key;
      if (name !== String(i) || (typeof key === 'string' && !isPhpIntKey(key))) isList = false;
      if (name === '__proto__') Object.defineProperty(out, name, { value: null, enumerable: true, writable: true, configurable: true });
      out[name] = this.value(true);
    }
    this.expect('}');
    this.depth--;
    if (!isList) return out;
    const list = Object.values(out);
    if (slot >= 0) this.refs[slot] = list;
    return list;
  }

  private byte(): number {
    if (this.pos >= this.buf.length) this.fail('unexpected end of input');
    return this.buf[this.pos];
  }

  private expect(literal: string): void {
    for (let i = 0; i < literal.length; i++) {
      if (this.buf[this.pos + i] !== literal.charCodeAt(i)) this.fail(`expected '${literal}'`);
    }
    this.pos += literal.length;
  }

  /** Reads up to (and consumes) `stop`; the text must match `re`. */
  private until(stop: string, re: RegExp): string {
    const end = this.buf.indexOf(stop, this.pos, 'latin1');
    if (end < 0) this.fail(`expected '${stop}'`);
    const text = this.buf.subarray(this.pos, end).toString('latin1');
    if (!re.test(text)) this.fail(`malformed value '${text.slice(0, 20)}'`);
    this.pos = end + 1;
    return text;
  }

  private fail(message: string): never {
    throw new Error(`unserialize: ${message} at offset ${this.pos}`);
  }
}
