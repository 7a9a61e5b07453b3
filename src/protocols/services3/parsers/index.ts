/**
 * Request body parsing (RESTServer::parseRequestBody) for POST and PUT.
 *
 * The mime type is the Content-Type value before the first `;` (RESTServer::parseContentHeader's
 * `^([^;]+)(;\s*(.+)\s*)?$`); a missing or empty header — or one the pattern rejects, such as a bare trailing
 * `;` — means `application/x-www-form-urlencoded`. The parser is mimeparse's best match of that value against the
 * enabled parser types: exact and case-sensitive for ordinary types (`Application/JSON` is refused), but
 * wildcards match too (`*∕*` picks text/xml, the greatest enabled type). A value mimeparse cannot parse (no `/`)
 * made PHP throw a plain Exception (500): here `GatehouseError('internal')`.
 */
import { domainError, GatehouseError } from '../../../core/errors.js';
import { bestMatch, MalformedMimeTypeError } from '../formats/negotiate.js';
import { parseJson } from './json.js';
import type { ParserLimits } from './limits.js';
import { parseMultipart } from './multipart.js';
import { parseUrlencoded } from './urlencoded.js';
import { parseXml } from './xml.js';
import { TurnTaking } from '../../../lib/turn-taking.js';

export const PARSER_TYPES = [
  'application/x-www-form-urlencoded', 'application/json', 'multipart/form-data', 'application/xml', 'text/xml',
] as const;

type Parse = (body: Buffer, contentType: string, limits?: ParserLimits) => unknown;

// urlencoded and multipart are bounded by PHP's own max_input_vars (1000) and max_input_nesting_level (64).
const PARSERS: Readonly<Record<string, Parse>> = {
  'application/x-www-form-urlencoded': (body, _type, limits) => parseUrlencoded(body, limits),
  'application/json': (body, _type, limits) => parseJson(body, limits),
  'multipart/form-data': (body, contentType) => parseMultipart(contentType, body),
  'application/xml': (body, _type, limits) => parseXml(body, limits),
  'text/xml': (body, _type, limits) => parseXml(body, limits),
};

const DEFAULT_TYPE = 'application/x-www-form-urlencoded';

/** Bodies from this size on are parsed one per turn of the event loop (a user resource's are far smaller). */
export const LARGE_BODY_BYTES = 16_384;
const LARGE_BODY_TURNS = new TurnTaking();

/** The mime type Services reads from a Content-Type header value. */
export function requestMimeType(contentType: string | undefined): string {
  if (contentType === undefined || contentType === '' || contentType === '0') return DEFAULT_TYPE;
  const m = /^([^;]+)(;\s*([^\n]+)\s*)?\n?$/.exec(contentType);
  return m ? m[1] : DEFAULT_TYPE;
}

/**
 * Parses a request body. Throws `GatehouseError`: `unsupported_content_type` (406), `invalid_json` (400),
 * `invalid_xml` (406), or `internal` for a malformed Content-Type.
 */
export async function parseRequestBody(o: {
  contentType: string | undefined;
  body: Buffer;
  enabled: readonly string[];
  /** Bounds on values, nesting and attributes (config `parserLimits`); none = only the formats' own. */
  limits?: ParserLimits;
}): Promise<unknown> {
  const mime = requestMimeType(o.contentType);
  const enabled = o.enabled.filter((type) => Object.hasOwn(PARSERS, type));
  let type: string | null;
  try {
    type = bestMatch(enabled, mime);
  } catch (e) {
    if (e instanceof MalformedMimeTypeError) throw new GatehouseError('internal', e.message, { clientFault: true });
    throw e;
  }
  if (type === null) throw domainError('unsupported_content_type', { type: mime });
  if (o.body.length >= LARGE_BODY_BYTES) await LARGE_BODY_TURNS.turn();
  return PARSERS[type](o.body, o.contentType ?? '', o.limits);
}
