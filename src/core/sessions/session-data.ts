import { phpSerialize, phpUnserialize } from '../../lib/php-serialize.js';

/**
 * Drupal's session data string: PHP's session encoding, `name|<serialized value>` repeated. Kept in
 * that format so sessions imported from a Drupal 7 site, and sessions we write, read alike.
 */
export type SessionData = Record<string, unknown>;

export function encodeSessionData(data: SessionData): string {
  return Object.entries(data).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}|${phpSerialize(v)}`).join('');
}

export function decodeSessionData(text: string): SessionData {
  const out: SessionData = {};
  let rest = text;
  while (rest.length > 0) {
    const bar = rest.indexOf('|');
    if (bar <= 0) break;
    const name = rest.slice(0, bar);
    const { value, length } = readOne(rest.slice(bar + 1));
    if (length <= 0) break;
    out[name] = value;
    rest = rest.slice(bar + 1 + length);
  }
  return out;
}

/** Reads one serialized value from the front of `text`, finding its end by trying growing prefixes. */
function readOne(text: string): { value: unknown; length: number } {
  for (let end = text.indexOf(';') + 1; end > 0 && end <= text.length; end = nextEnd(text, end)) {
    try {
      return { value: phpUnserialize(text.slice(0, end)), length: end };
    } catch { /* not complete yet */ }
  }
  return { value: undefined, length: 0 };
}

function nextEnd(text: string, from: number): number {
  const semi = text.indexOf(';', from);
  const brace = text.indexOf('}', from);
  const candidates = [semi, brace].filter((i) => i >= 0);
  return candidates.length === 0 ? -1 : Math.min(...candidates) + 1;
}
