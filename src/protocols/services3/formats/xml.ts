/**
 * The `xml` response format: ServicesXMLFormatter (3.28) serialised the way PHP's DOMDocument::saveXML() with
 * libxml2 2.9 writes it (observed: formats steps 4, 30, 35, 56).
 *
 * - `<?xml version="1.0" encoding="utf-8"?>`, newline, `<result>…</result>`, newline.
 * - Arrays and objects become child elements. A numeric key (PHP is_numeric) becomes `<item>`; an empty key is
 *   skipped; any other key has each byte outside `[A-Za-z0-9_]` replaced by `_` and leading digits prefixed
 *   with `_`. A non-empty array with no element from a non-numeric key gets `is_array="true"`.
 * - Scalars become text: true → `1`, false → empty, floats with PHP's precision 14; null adds no text node.
 *   An element without a text node is written `<x/>`; with an empty text node, `<x></x>`.
 * - Text escapes only `&`, `<`, `>` and CR (`&#13;`); quotes and non-ASCII are written as they are.
 */
import { isPhpNumericString, phpEntries, phpKind, phpToString } from '../../../lib/php-values.js';
import type { Formatter } from './index.js';

const DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\n';

export function renderXml(data: unknown): string {
  return `${DECLARATION}${element('result', data)}\n`;
}

/** One element named `name` holding `value`. */
function element(name: string, value: unknown): string {
  const kind = phpKind(value);
  if (kind === 'null') return `<${name}/>`;
  if (kind !== 'array' && kind !== 'object') return `<${name}>${escapeText(phpToString(value))}</${name}>`;
  const entries = phpEntries(value as object);
  let assoc = entries.length === 0;
  let children = '';
  for (const [key, item] of entries) {
    let tag: string;
    if (isPhpNumericString(key)) tag = 'item';
    else if (key === '') continue;
    else {
      assoc = true;
      tag = elementName(key);
    }
    children += element(tag, item);
  }
  const attrs = assoc ? '' : ' is_array="true"';
  return children === '' ? `<${name}${attrs}/>` : `<${name}${attrs}>${children}</${name}>`;
}

/** The key sanitising of xml_recursive(), byte-wise like PHP's non-/u preg_replace. */
export function elementName(key: string): string {
  let out = '';
  for (const ch of key) {
    out += /^[A-Za-z0-9_]$/.test(ch) ? ch : '_'.repeat(Buffer.byteLength(ch, 'utf8'));
  }
  return out.replace(/^([0-9]+)/, '_$1');
}

/** libxml2's xmlEscapeContent(): `<`, `>`, `&` and CR; lone surrogates become U+FFFD as in UTF-8 output. */
export function escapeText(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r/g, '&#13;')
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

export const xmlFormatter: Formatter = {
  name: 'xml',
  mimeTypes: ['application/xml', 'text/xml'],
  render: (data) => renderXml(data),
};
