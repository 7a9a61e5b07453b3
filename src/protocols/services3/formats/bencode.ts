/**
 * The `bencode` response format: a port of rest_server's lib/bencode.php, quirks included (observed: formats
 * steps 11, 33). Keys are ksort()ed; a numeric value equal to its intval() — ints and digit strings such as
 * "2" — is written `i…e` verbatim; other strings `<bytes>:<text>`; null, booleans, non-integral floats and
 * empty objects write nothing (so a dictionary key can be left without a value); an array whose first key
 * after sorting is an integer becomes a list and loses its keys.
 */
import {
  intToDecimal, isPhpIntKey, isPhpNumericString, phpEntries, phpKind, utf8ByteLength,
} from '../../../lib/php-values.js';
import type { Formatter } from './index.js';

export function bencode(value: unknown): string {
  switch (phpKind(value)) {
    case 'int': return `i${intToDecimal(value as number | bigint)}e`;
    case 'string': {
      const s = value as string;
      return isIntegralNumeric(s) ? `i${s}e` : `${utf8ByteLength(s)}:${s}`;
    }
    case 'array': return bencodeMembers(phpEntries(value as object));
    case 'object': {
      const entries = phpEntries(value as object);
      return entries.length === 0 ? '' : bencodeMembers(entries);
    }
    default: return '';
  }
}

/** `is_numeric($s) && $s == intval($s)` for a string. */
function isIntegralNumeric(s: string): boolean {
  if (!isPhpNumericString(s)) return false;
  const x = Number(s.trim());
  const intval = Number.isFinite(x) ? Math.max(-(2 ** 63), Math.min(2 ** 63, Math.trunc(x))) : 0;
  return x === intval;
}

function bencodeMembers(entries: Array<[string, unknown]>): string {
  const sorted = entries
    .map(([key, v]): [string | bigint, unknown] => [isPhpIntKey(key) ? BigInt(key) : key, v])
    .sort(([a], [b]) => compareKeys(a, b));
  if (sorted.length === 0 || typeof sorted[0][0] !== 'string') {
    return `l${sorted.map(([, v]) => bencode(v)).join('')}e`;
  }
  return `d${sorted.map(([k, v]) => bencode(k) + bencode(v)).join('')}e`;
}

/** PHP 8 ksort() order: ints numerically, numeric strings numerically, anything else bytewise. */
function compareKeys(a: string | bigint, b: string | bigint): number {
  if (typeof a === 'bigint' && typeof b === 'bigint') return a > b ? 1 : a < b ? -1 : 0;
  const an = typeof a === 'bigint' || isPhpNumericString(a);
  const bn = typeof b === 'bigint' || isPhpNumericString(b);
  if (an && bn) return Math.sign(Number(typeof a === 'string' ? a.trim() : a) - Number(typeof b === 'string' ? b.trim() : b));
  return Buffer.compare(Buffer.from(String(a), 'utf8'), Buffer.from(String(b), 'utf8'));
}

export const bencodeFormatter: Formatter = {
  name: 'bencode',
  mimeTypes: ['application/x-bencode'],
  render: (data) => bencode(data),
};
