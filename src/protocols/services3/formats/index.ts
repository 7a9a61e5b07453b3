/**
 * The Services 3.x REST response formats (rest_server_response_formatters()), in the module's order. yaml
 * (Spyc) is not provided.
 */
import { bencodeFormatter } from './bencode.js';
import { jsonFormatter } from './json.js';
import { jsonpFormatter } from './jsonp.js';
import { phpFormatter } from './php.js';
import { xmlFormatter } from './xml.js';

export interface Formatter {
  readonly name: string;
  /** The first one is the content type for a `.format` suffix. */
  readonly mimeTypes: readonly string[];
  render(data: unknown, ctx: { query: Record<string, unknown> }): string;
}

export const FORMATTERS: Readonly<Record<string, Formatter>> = Object.freeze({
  xml: xmlFormatter,
  json: jsonFormatter,
  jsonp: jsonpFormatter,
  php: phpFormatter,
  bencode: bencodeFormatter,
});

/** The Content-Type header value: PHP's default_charset adds `;charset=UTF-8` (no space) to `text/*` only. */
export function contentTypeHeader(mime: string): string {
  return mime.startsWith('text/') ? `${mime};charset=UTF-8` : mime;
}

export { negotiateFormat, bestMatch, MalformedMimeTypeError, type Negotiation } from './negotiate.js';
export { renderJson, phpJsonEncode } from './json.js';
