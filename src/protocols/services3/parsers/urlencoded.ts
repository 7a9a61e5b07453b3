/**
 * `application/x-www-form-urlencoded` bodies: a port of PHP 8.2's parse_str() (php_default_treat_data +
 * php_register_variable_ex), so that keys, nesting and overrides come out as Drupal saw them:
 * - `&`-separated pairs (empty ones skipped), `+` and `%XX` decoded; at most 1000 pairs (max_input_vars);
 * - leading spaces of a name dropped; before the first `[`, ` ` and `.` become `_`; a name cut at a NUL byte;
 * - `a[b][]=1` nests; `[]` appends at the next integer key; a later plain `a=…` replaces an array and vice
 *   versa; an unterminated `[` becomes `_` (`a[b` → `a_b`); text after a `]` that is not `[` is ignored;
 * - more than 64 bracket levels drops the whole top-level variable (max_input_nesting_level);
 * - numeric-string keys are integer keys; values are always strings.
 * The `qs` package is not used: it differs from PHP on sparse indices (`a[5]=x` → list), duplicate keys
 * (arrays instead of last-wins), dots, unterminated brackets and scalar/array overrides.
 * Bytes are decoded as UTF-8 (invalid sequences become U+FFFD).
 */
import { isPhpIntKey } from '../../../lib/php-values.js';
import { bodyLimitError, type ParserLimits } from './limits.js';

export const MAX_INPUT_VARS = 1000;
export const MAX_NESTING_LEVEL = 64;

type PhpValue = string | PhpArray;

/** An ordered PHP array under construction (keys in PHP form, integer keys as decimal strings). */
class PhpArray {
  readonly map = new Map<string, PhpValue>();
  private nextFree = 0n;

  get(key: string): PhpValue | undefined { return this.map.get(key); }

  set(key: string, value: PhpValue): void {
    this.map.set(key, value);
    if (isPhpIntKey(key)) {
      const k = BigInt(key);
      if (k >= this.nextFree) this.nextFree = k < 2n ** 63n - 1n ? k + 1n : k;
    }
  }

  /** `$a[] = value`; false when the next key is taken (after key PHP_INT_MAX). */
  append(value: PhpValue): boolean {
    const key = this.nextFree.toString();
    if (this.map.has(key)) return false;
    this.set(key, value);
    return true;
  }

  delete(key: string): void { this.map.delete(key); }

  /** Plain JS: a list (keys 0..n-1 in order) becomes an array, anything else a plain object. */
  toJs(): unknown {
    const entries = [...this.map].map(([k, v]): [string, unknown] => [k, typeof v === 'string' ? v : v.toJs()]);
    if (entries.every(([k], i) => k === String(i))) return entries.map(([, v]) => v);
    const out: Record<string, unknown> = {};
    for (const [k, v] of entries) {
      if (k === '__proto__') Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
      else out[k] = v;
    }
    return out;
  }
}

/** Collects form variables the way PHP fills $_POST / parse_str()'s result (also used for multipart). */
export class PhpFormBuilder {
  private readonly root = new PhpArray();
  private count = 0;

  /**
   * Registers one variable; `name` and `value` are byte strings (one char per byte, latin1).
   * Returns false once max_input_vars is exceeded (the variable is not registered).
   */
  add(name: string, value: string): boolean {
    if (++this.count > MAX_INPUT_VARS) return false;
    registerVariable(this.root, name, value);
    return true;
  }

  /** The collected variables (strings decoded from UTF-8); the top level is always a plain object. */
  result(): Record<string, unknown> {
    const top = decodeUtf8Deep(this.root.toJs());
    return Array.isArray(top) ? Object.fromEntries(top.map((v, i) => [String(i), v])) : top as Record<string, unknown>;
  }
}

/** php_register_variable_ex() on byte strings. */
function registerVariable(root: PhpArray, rawName: string, value: string): void {
  let name = rawName;
  const nul = name.indexOf('\0');
  if (nul >= 0) name = name.slice(0, nul);
  name = name.replace(/^ +/, '');
  const bracket = name.indexOf('[');
  const base = (bracket < 0 ? name : name.slice(0, bracket)).replace(/[ .]/g, '_');
  if (base === '') return;
  if (bracket < 0) {
    root.set(base, value);
    return;
  }
  let table = root;
  let index: string | null = base;
  let pos = bracket; // at a '['
  for (let level = 1; ; level++) {
    if (level > MAX_NESTING_LEVEL) {
      root.delete(base);
      return;
    }
    const start = pos + 1;
    let next: string | null;
    if (name[start] === ']') {
      next = null;
      pos = start;
    } else {
      const close = name.indexOf(']', start);
      if (close < 0) {
        // Not an index: the '[' becomes '_' and the rest joins the current name.
        if (level === 1) index = `${base}_${name.slice(start).replace(/[ .[]/g, '_')}`;
        break;
      }
      next = name.slice(start, close);
      pos = close;
    }
    const child = childArray(table, index);
    if (!child) return;
    table = child;
    index = next;
    if (name[pos + 1] !== '[') break;
    pos += 1;
  }
  if (index === null) table.append(value);
  else table.set(index, value);
}

/** The array at `table[index]` (created, or replacing a string); `index` null appends. */
function childArray(table: PhpArray, index: string | null): PhpArray | null {
  if (index === null) {
    const fresh = new PhpArray();
    return table.append(fresh) ? fresh : null;
  }
  const key = index;
  const existing = table.get(key);
  if (existing instanceof PhpArray) return existing;
  const fresh = new PhpArray();
  table.set(key, fresh);
  return fresh;
}

/** php_url_decode() on a byte string: `+` → space, `%XX` → byte, anything else as is. */
export function phpUrlDecode(s: string): string {
  return s.replace(/\+|%([0-9A-Fa-f]{2})/g, (m, hex: string | undefined) => (hex ? String.fromCharCode(parseInt(hex, 16)) : ' '));
}

/** PHP parse_str() of a raw body or query string. */
export function parsePhpQueryString(input: Buffer | string, limits?: ParserLimits): Record<string, unknown> {
  if (input.length === 0) return {};
  let bytes = typeof input === 'string' ? Buffer.from(input, 'utf8').toString('latin1') : input.toString('latin1');
  const nul = bytes.indexOf('\0');
  if (nul >= 0) bytes = bytes.slice(0, nul);
  const form = new PhpFormBuilder();
  // Pair by pair: PHP stops at max_input_vars, and so does the scan (a body of 80,000 pairs reads 1,001).
  for (let start = 0; start <= bytes.length;) {
    let end = bytes.indexOf('&', start);
    if (end < 0) end = bytes.length;
    const pair = bytes.slice(start, end);
    start = end + 1;
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    if (limits && Math.max(eq, pair.length - eq - 1) > limits.maxValueChars) throw bodyLimitError('characters in one value', limits.maxValueChars);
    const name = phpUrlDecode(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? '' : phpUrlDecode(pair.slice(eq + 1));
    if (!form.add(name, value)) break;
  }
  return form.result();
}

/** The urlencoded request parser: an empty body gives `{}`. */
export function parseUrlencoded(body: Buffer, limits?: ParserLimits): Record<string, unknown> {
  return parsePhpQueryString(body, limits);
}

function decodeUtf8Deep(v: unknown): unknown {
  if (typeof v === 'string') return Buffer.from(v, 'latin1').toString('utf8');
  if (Array.isArray(v)) return v.map(decodeUtf8Deep);
  const out: Record<string, unknown> = {};
  for (const [k, item] of Object.entries(v as Record<string, unknown>)) {
    const key = Buffer.from(k, 'latin1').toString('utf8');
    if (key === '__proto__') Object.defineProperty(out, key, { value: decodeUtf8Deep(item), enumerable: true, writable: true, configurable: true });
    else out[key] = decodeUtf8Deep(item);
  }
  return out;
}
