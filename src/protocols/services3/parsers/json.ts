/**
 * `application/json` bodies (ServicesParserJSON, 3.28): a falsy body ('' or "0") is passed through as that
 * string; anything else is json_decode($body, TRUE), and a null result — the literal `null`, a syntax error,
 * invalid UTF-8, an unpaired `\ud800` escape or nesting deeper than 512 — is `400 Invalid JSON.`.
 * Objects become plain objects (PHP arrays), arrays stay arrays.
 */
import { domainError } from '../../../core/errors.js';

const MAX_DEPTH = 512;
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function parseJson(body: Buffer): unknown {
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    throw domainError('invalid_json');
  }
  if (text === '' || text === '0') return text;
  if (nestingDepth(text) > MAX_DEPTH) throw domainError('invalid_json');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw domainError('invalid_json');
  }
  if (value === null || hasLoneSurrogate(value)) throw domainError('invalid_json');
  return value;
}

/** The deepest `[`/`{` nesting outside strings (an upper bound is enough: malformed text fails anyway). */
function nestingDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) max = Math.max(max, ++depth);
    else if (c === 0x5d || c === 0x7d) depth--;
  }
  return max;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** PHP rejects `\ud800`-style escapes that do not form a pair (JSON_ERROR_UTF16). */
function hasLoneSurrogate(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'string') {
      if (LONE_SURROGATE.test(v)) return true;
    } else if (typeof v === 'object' && v !== null) {
      for (const [k, item] of Object.entries(v)) {
        if (LONE_SURROGATE.test(k)) return true;
        stack.push(item);
      }
    }
  }
  return false;
}
