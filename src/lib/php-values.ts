/**
 * How JS values stand for PHP values on the wire formats (json_encode, serialize, DOM XML, bencode).
 *
 * - `null`/`undefined` → PHP null; booleans → bool; strings → string (UTF-8 bytes on the wire).
 * - a number that is an integer within ±2^63 → int; any other number → float.
 * - a JS array → a PHP list; a plain object → a PHP array with those keys (a list when its keys are exactly
 *   "0".."n-1" in order; `{}` is the empty array, json `[]`).
 * - an object marked with {@link markPhpObject} (or any non-plain object) → a PHP object (stdClass).
 *
 * Known limit: JS objects iterate integer-like keys first, in ascending order, so a PHP array whose integer keys
 * are not in ascending order or come after string keys (e.g. `['b' => 1, 5 => 2]`) cannot keep its PHP order.
 */

/** The non-enumerable marker that makes an object render as a PHP object (stdClass). */
export const PHP_OBJECT: unique symbol = Symbol.for('gatehouse.phpObject') as never;

/** Marks `o` as a PHP object (stdClass): JSON `{}` when empty, php-serialize `O:8:"stdClass"`. Returns `o`. */
export function markPhpObject<T extends object>(o: T): T {
  Object.defineProperty(o, PHP_OBJECT, { value: true, enumerable: false, configurable: true });
  return o;
}

/** True for an object marked with {@link markPhpObject}. */
export function isPhpObject(v: unknown): boolean {
  return typeof v === 'object' && v !== null && (v as Record<symbol, unknown>)[PHP_OBJECT] === true;
}

/** True for an object whose prototype is Object.prototype or null. */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * PHP truthiness (and `!empty()`): false for null, false, 0, 0.0, '', '0' and an empty array — a JS array or a
 * plain object with no keys (what json_decode(…, TRUE) and unserialize() give as `array()`); a PHP object is
 * true even when empty. Everything else is true.
 */
export function phpTruthy(v: unknown): boolean {
  if (v === undefined || v === null || v === false || v === 0 || v === '' || v === '0') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (isPlainObject(v) && !isPhpObject(v)) return Object.keys(v).length > 0;
  return true;
}

export type PhpKind = 'null' | 'bool' | 'int' | 'float' | 'string' | 'array' | 'object';

/** The PHP type a JS value stands for. Functions and symbols count as null. */
export function phpKind(v: unknown): PhpKind {
  switch (typeof v) {
    case 'boolean': return 'bool';
    case 'string': return 'string';
    case 'number': return isPhpInt(v) ? 'int' : 'float';
    case 'bigint': return v >= INT64_MIN && v <= INT64_MAX ? 'int' : 'float';
    case 'object':
      if (v === null) return 'null';
      if (Array.isArray(v)) return 'array';
      return isPlainObject(v) && !isPhpObject(v) ? 'array' : 'object';
    default: return 'null';
  }
}

/** True when the value is a PHP list: a JS array, or an unmarked plain object with keys "0".."n-1" in order. */
export function isPhpList(v: unknown): boolean {
  if (Array.isArray(v)) return true;
  if (!isPlainObject(v) || isPhpObject(v)) return false;
  let i = 0;
  for (const key of Object.keys(v)) {
    if ((v as Record<string, unknown>)[key] === undefined) continue;
    if (key !== String(i)) return false;
    i++;
  }
  return true;
}

/**
 * The key/value pairs of a PHP array or object, in order. Array holes and `undefined` elements become null;
 * `undefined` object properties are skipped (as JSON.stringify does).
 */
export function phpEntries(v: object): Array<[string, unknown]> {
  if (Array.isArray(v)) return Array.from(v, (item, i) => [String(i), item === undefined ? null : item]);
  const out: Array<[string, unknown]> = [];
  for (const key of Object.keys(v)) {
    const item = (v as Record<string, unknown>)[key];
    if (item !== undefined) out.push([key, item]);
  }
  return out;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** True when a JS number stands for a PHP int (an integer below 2^63 in magnitude). */
export function isPhpInt(x: number): boolean {
  return Number.isInteger(x) && x >= -9223372036854775808 && x < 9223372036854775808;
}

/** Decimal digits of an integer-valued number (no exponent notation), e.g. 1e21 → "1000000000000000000000". */
export function intToDecimal(x: number | bigint): string {
  if (typeof x === 'bigint') return x.toString();
  // A safe integer prints without an exponent (and -0 as "0"); larger ones need BigInt's digits.
  return Number.isSafeInteger(x) || Object.is(x, -0) ? String(x) : BigInt(x).toString();
}

/** True when PHP turns this array key into an integer key ("5", "-3"; not "05", "-0", " 5" or "5.0"). */
export function isPhpIntKey(key: string): boolean {
  if (!/^(0|-?[1-9][0-9]{0,18})$/.test(key)) return false;
  const n = BigInt(key);
  return n >= INT64_MIN && n <= INT64_MAX;
}

const NUMERIC_RE = /^[ \t\n\r\v\f]*[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?[ \t\n\r\v\f]*$/;

/** PHP 8 is_numeric() for a string: optional surrounding whitespace, sign, decimal digits, fraction, exponent. */
export function isPhpNumericString(s: string): boolean {
  return NUMERIC_RE.test(s);
}

/** Byte length of a string encoded as UTF-8 (what PHP's strlen() sees). */
export function utf8ByteLength(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

/** Significant digits and decimal-point position of |x|, as zend_dtoa gives them (`0.05` → "5", -1). */
function dtoa(x: number, precision: number): { digits: string; decpt: number } {
  const exp = precision < 0 ? Math.abs(x).toExponential() : Math.abs(x).toExponential(precision - 1);
  const [mantissa, e] = exp.split('e');
  const digits = mantissa.replace('.', '').replace(/0+$/, '') || '0';
  return { digits, decpt: Number(e) + 1 };
}

/**
 * PHP's php_gcvt(): a float as PHP prints it. `precision` -1 is serialize_precision -1 (shortest round-trip,
 * used by json_encode and serialize); 14 is the `precision` ini used by string casts. `expChar` is 'e' for
 * json_encode, 'E' for serialize and string casts.
 */
export function phpFloatToString(x: number, precision: number, expChar: 'e' | 'E'): string {
  if (Number.isNaN(x)) return 'NAN';
  if (!Number.isFinite(x)) return x > 0 ? 'INF' : '-INF';
  const sign = x < 0 || Object.is(x, -0) ? '-' : '';
  if (x === 0) return `${sign}0`;
  const ndigit = precision < 0 ? 17 : precision;
  const { digits, decpt } = dtoa(x, precision);
  if (decpt < 0 ? decpt < -3 : decpt > ndigit) {
    const e = decpt - 1;
    const rest = digits.length > 1 ? digits.slice(1) : '0';
    return `${sign}${digits[0]}.${rest}${expChar}${e < 0 ? '-' : '+'}${Math.abs(e)}`;
  }
  if (decpt <= 0) return `${sign}0.${'0'.repeat(-decpt)}${digits}`;
  const intPart = digits.slice(0, decpt).padEnd(decpt, '0');
  const frac = digits.slice(decpt);
  return `${sign}${intPart}${frac ? `.${frac}` : ''}`;
}

/** PHP's (string) cast of a scalar: ints in decimal, floats with precision 14, true → "1", false/null → "". */
export function phpToString(v: unknown): string {
  switch (phpKind(v)) {
    case 'string': return v as string;
    case 'bool': return v ? '1' : '';
    case 'int': return intToDecimal(v as number | bigint);
    case 'float': return typeof v === 'bigint' ? phpFloatToString(Number(v), 14, 'E') : phpFloatToString(v as number, 14, 'E');
    default: return '';
  }
}
