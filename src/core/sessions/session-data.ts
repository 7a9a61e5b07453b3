import { phpSerialize, phpUnserializePrefix } from '../../lib/php-serialize.js';

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
    const { value, length } = phpUnserializePrefix(rest.slice(bar + 1));
    if (length <= 0) break;
    out[name] = value;
    rest = rest.slice(bar + 1 + length);
  }
  return out;
}
