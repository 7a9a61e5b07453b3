// What Drupal 7 / PHP would send for a string, written from PHP's and Services' rules — independently of
// Gatehouse's own formatters — for the byte-exactness tests of non-ASCII text.

/**
 * PHP json_encode() with default flags, after ServicesJSONFormatter's str_replace('\/', '/'): JSON.stringify's
 * escapes for `"`, `\` and control characters are PHP's too (\b \f \n \r \t, else \u00XX in lowercase); PHP
 * then writes every non-ASCII UTF-16 unit as a lowercase \uXXXX (a surrogate pair for characters beyond U+FFFF).
 */
export const phpJsonString = (s: string): string =>
  JSON.stringify(s).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** PHP serialize() of a string: `s:<bytes>:"<bytes>";`. */
export const phpSerializedString = (s: string): string => `s:${Buffer.byteLength(s)}:"${s}";`;

/** rest_server's bencode of a (non-numeric) string: `<bytes>:<bytes>`. */
export const bencodedString = (s: string): string => `${Buffer.byteLength(s)}:${s}`;

/** DOMDocument::saveXML() text: `&`, `<`, `>` escaped, everything else (non-ASCII included) as UTF-8. */
export const xmlText = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** check_plain(): htmlspecialchars(ENT_QUOTES). */
export const checkPlain = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#039;');

/** t('%name') markup. */
export const em = (s: string): string => `<em class="placeholder">${checkPlain(s)}</em>`;

/** XML numeric character references for every non-ASCII character (what an XML client may send). */
export const xmlCharRefs = (s: string): string => xmlText(s).replace(/[^\x00-\x7f]/gu, (c) => `&#x${c.codePointAt(0)!.toString(16).toUpperCase()};`);

/** application/x-www-form-urlencoded in UTF-8 (what a browser form sends). */
export const formEncoded = (fields: Record<string, string>): string =>
  Object.entries(fields).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');

/** A multipart/form-data body with raw UTF-8 values. */
export function multipart(fields: Record<string, string>, boundary: string): Buffer {
  const parts = Object.entries(fields).map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`);
  return Buffer.from(`${parts.join('')}--${boundary}--\r\n`, 'utf8');
}

/** A reason phrase as the client reads it: the status line's bytes decoded as UTF-8. */
export const reasonText = (latin1: string): string => Buffer.from(latin1, 'latin1').toString('utf8');
