/**
 * PHP's json_encode(), shared by the protocols: Services' formatter uses the default flags, Drupal 8+ the
 * flags Symfony's JsonResponse and the serializer set.
 */
import { intToDecimal, isPhpList, phpEntries, phpFloatToString, phpKind } from './php-values.js';

/**
 * PHP json_encode() (default flags, partial output on error; slashes left unescaped): non-ASCII as
 * lowercase `\uXXXX` (surrogate pairs beyond the BMP), lists as arrays, other arrays and objects as objects,
 * empty arrays as `[]`, empty PHP objects as `{}`. Values PHP cannot encode become what partial output gives:
 * NaN/Infinity → `0`, a string with a lone surrogate (invalid UTF-8 in PHP) → `null`.
 */
export function phpJsonEncode(value: unknown): string {
  switch (phpKind(value)) {
    case 'null': return 'null';
    case 'bool': return value ? 'true' : 'false';
    case 'int': return intToDecimal(value as number | bigint);
    case 'float': {
      const x = Number(value);
      return Number.isFinite(x) ? phpFloatToString(x, -1, 'e') : '0';
    }
    case 'string': return encodeString(value as string);
    case 'array':
      if (isPhpList(value)) return encodeList(value as object);
      return encodeObject(value as object);
    case 'object': return encodeObject(value as object);
  }
}

// The two below are phpEntries() written out as loops: the formatter runs them on every answer.

function encodeList(value: object): string {
  if (!Array.isArray(value)) return `[${phpEntries(value).map(([, v]) => phpJsonEncode(v)).join(',')}]`;
  let out = '[';
  for (let i = 0; i < value.length; i++) {
    const item: unknown = value[i];
    out += (i === 0 ? '' : ',') + phpJsonEncode(item === undefined ? null : item);
  }
  return `${out}]`;
}

function encodeObject(value: object): string {
  let out = '{';
  let first = true;
  for (const key of Object.keys(value)) {
    const item = (value as Record<string, unknown>)[key];
    if (item === undefined) continue;
    out += (first ? '' : ',') + encodeString(key) + ':' + phpJsonEncode(item);
    first = false;
  }
  return `${out}}`;
}

const SHORT_ESCAPES: Record<string, string> = {
  '"': '\\"', '\\': '\\\\', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t',
};

/** Printable ASCII without `"` and `\\`: encoded as is. */
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function encodeString(s: string): string {
  if (PLAIN.test(s)) return `"${s}"`;
  if (LONE_SURROGATE.test(s)) return 'null';
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    const code = s.charCodeAt(i);
    if (SHORT_ESCAPES[ch] !== undefined) out += SHORT_ESCAPES[ch];
    else if (code < 0x20 || code >= 0x80) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

const HEX: Record<string, string> = { '<': '\\u003C', '>': '\\u003E', "'": '\\u0027', '&': '\\u0026', '\\"': '\\u0022', '\\\\': '\\\\', '/': '\\/' };

/**
 * json_encode($value, JSON_HEX_TAG | JSON_HEX_APOS | JSON_HEX_AMP | JSON_HEX_QUOT): Symfony's JsonResponse
 * and Drupal's serializer. Slashes are escaped (`\/`), as PHP does without JSON_UNESCAPED_SLASHES.
 */
export function phpJsonEncodeHex(value: unknown): string {
  // Outside strings the encoding has none of these characters; inside, `\\` is kept whole so `\\"` is not read as `\"`.
  return phpJsonEncode(value).replace(/\\["\\]|[<>'&/]/g, (m) => HEX[m] ?? m);
}
