/**
 * The `json` response format: PHP json_encode() with JSON_PARTIAL_OUTPUT_ON_ERROR, as ServicesJSONFormatter
 * calls it: a scalar result is wrapped in a one-element array, `\/` is turned back into `/`.
 */
import {
  intToDecimal, isPhpList, phpEntries, phpFloatToString, phpKind,
} from '../../../lib/php-values.js';
import type { Formatter } from './index.js';

/** ServicesJSONFormatter::render(): scalars (string, number, bool) become `[value]`; null stays `null`. */
export function renderJson(data: unknown): string {
  const kind = phpKind(data);
  const isScalar = kind === 'bool' || kind === 'int' || kind === 'float' || kind === 'string';
  return phpJsonEncode(isScalar ? [data] : data);
}

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
      if (isPhpList(value)) return `[${phpEntries(value as object).map(([, v]) => phpJsonEncode(v)).join(',')}]`;
      return encodeObject(value as object);
    case 'object': return encodeObject(value as object);
  }
}

function encodeObject(value: object): string {
  return `{${phpEntries(value).map(([k, v]) => `${encodeString(k)}:${phpJsonEncode(v)}`).join(',')}}`;
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

export const jsonFormatter: Formatter = {
  name: 'json',
  mimeTypes: ['application/json'],
  render: (data) => renderJson(data),
};
