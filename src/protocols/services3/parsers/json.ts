/**
 * `application/json` bodies (ServicesParserJSON, 3.28): a falsy body ('' or "0") is passed through as that
 * string; anything else is json_decode($body, TRUE), and a null result — the literal `null`, a syntax error,
 * invalid UTF-8, an unpaired `\ud800` escape or nesting deeper than 512 — is `400 Invalid JSON.`.
 * Objects become plain objects (PHP arrays), arrays stay arrays.
 */
import { isUtf8 } from 'node:buffer';
import { domainError } from '../../../core/errors.js';
import { LimitCounter, type ParserLimits } from './limits.js';

const MAX_DEPTH = 512;
const STRING_STOP = /["\\]/g;

/** `limits` (config `parserLimits`) are checked by the scan before JSON.parse builds anything. */
export function parseJson(body: Buffer, limits?: ParserLimits): unknown {
  // Invalid UTF-8 is a syntax error to json_decode. isUtf8 and toString are native (simdutf); a BOM stays.
  if (!isUtf8(body)) throw domainError('invalid_json');
  const text = body.toString('utf8');
  if (text === '' || text === '0') return text;
  if (nestingDepth(text, limits) > MAX_DEPTH) throw domainError('invalid_json');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw domainError('invalid_json');
  }
  if (value === null || hasLoneSurrogate(value)) throw domainError('invalid_json');
  return value;
}

/**
 * The deepest `[`/`{` nesting outside strings (an upper bound is enough: malformed text fails anyway). With
 * `limits`, values (each `[`, `{` and `,`) and levels are counted too; nesting beyond PHP's 512 stays
 * `Invalid JSON.` as on the real site, anything else past a limit is refused.
 */
function nestingDepth(text: string, limits?: ParserLimits): number {
  const counter = limits ? new LimitCounter(limits) : null;
  let refused: unknown = null;
  // Once refused, only nesting past PHP's 512 (Invalid JSON) could still change the answer: the scan stops
  // when fewer brackets than that are left in the text (always, for a refused body that is not that deep).
  let stopAt = Infinity;
  const count = (check: () => void, at: number) => {
    if (refused !== null) return;
    try { check(); } catch (e) {
      refused = e;
      if (!moreBracketsThan(text, at + 1, MAX_DEPTH - depth)) stopAt = at;
    }
  };
  let depth = 0;
  let max = 0;
  let inString = false;
  let stringStart = 0;
  for (let i = 0; i < text.length; i++) {
    if (inString) {
      // Inside a string only `"` and `\` matter: found by the regex engine, not one character at a time.
      STRING_STOP.lastIndex = i;
      const stop = STRING_STOP.exec(text);
      if (stop === null) { if (counter) count(() => counter.value(text.length - stringStart - 1), i); break; }
      i = stop.index;
      if (text.charCodeAt(i) === 0x5c) i++;
      else {
        inString = false;
        if (counter) count(() => counter.value(i - stringStart - 1), i);
      }
      continue;
    }
    if (i > stopAt) break;
    const c = text.charCodeAt(i);
    if (c === 0x22) { inString = true; stringStart = i; }
    else if (c === 0x5b || c === 0x7b) {
      max = Math.max(max, ++depth);
      if (max > MAX_DEPTH) return max;
      if (counter) count(() => { counter.depth(depth); counter.item(); }, i);
    } else if (c === 0x5d || c === 0x7d) depth--;
    else if (c === 0x2c && counter) count(() => counter.item(), i);
  }
  if (refused !== null) throw refused;
  return max;
}

/** Whether more than `n` `[` and `{` are left from `from` on (those in strings counted too: an upper bound). */
function moreBracketsThan(text: string, from: number, n: number): boolean {
  let seen = 0;
  for (const open of ['[', '{']) {
    for (let at = text.indexOf(open, from); at >= 0; at = text.indexOf(open, at + 1)) if (++seen > n) return true;
  }
  return false;
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
