/**
 * Response format selection (RESTServer::getResponseFormatter, ServicesContentTypeNegotiator) and a port of
 * rest_server's lib/mimeparse.php, whose quirks decide the result:
 * - ranking is by (fitness, q, mime string), the greatest wins: fitness (type 100 + subtype 10) outranks q,
 *   and ties go to the lexicographically greatest mime type, so `*∕*` picks `text/xml`;
 * - a q that is not in (0, 1] (q=0 included) counts as 1;
 * - a range without `/` (other than `*`), or with an empty subtype, throws: the real site answers 500.
 */
import { FORMATTERS } from './index.js';

export type Negotiation =
  | { ok: true; format: string; mime: string; vary: boolean }
  | { ok: false; vary: boolean; malformed?: boolean };

/** Thrown by {@link bestMatch} for a media range PHP's mimeparse rejects. */
export class MalformedMimeTypeError extends Error {
  constructor(range: string) {
    super(`malformed mime type: ${range}`);
    this.name = 'MalformedMimeTypeError';
  }
}

/**
 * Picks the response format. A `.format` suffix wins (first mime type, no Vary). Otherwise `Vary: Accept`
 * applies; an absent or empty Accept gives `defaultFormat`, any other Accept the mimeparse best match over the
 * mime types of the enabled formatters (the matched mime type is the content type).
 * `{ ok: false }` is the 406 "Unknown or unsupported response format."; with `malformed` it is the 500.
 */
export function negotiateFormat(o: {
  suffix: string | null;
  accept: string | undefined;
  enabled: readonly string[];
  defaultFormat: string;
}): Negotiation {
  const enabled = o.enabled.filter((name) => Object.hasOwn(FORMATTERS, name));
  const byName = (format: string, vary: boolean): Negotiation => (enabled.includes(format)
    ? { ok: true, format, mime: FORMATTERS[format].mimeTypes[0], vary }
    : { ok: false, vary });
  // PHP empty(): '' and '0' count as no suffix / no Accept.
  if (!isPhpEmpty(o.suffix)) return byName(o.suffix as string, false);
  if (isPhpEmpty(o.accept)) return byName(o.defaultFormat, true);
  const candidates = enabled.flatMap((name) => FORMATTERS[name].mimeTypes.map((mime) => ({ name, mime })));
  let mime: string | null;
  try {
    mime = bestMatch(candidates.map((c) => c.mime), o.accept as string);
  } catch (e) {
    if (e instanceof MalformedMimeTypeError) return { ok: false, vary: true, malformed: true };
    throw e;
  }
  const match = candidates.find((c) => c.mime === mime);
  return match ? { ok: true, format: match.name, mime: match.mime, vary: true } : { ok: false, vary: true };
}

function isPhpEmpty(v: string | null | undefined): boolean {
  return v === null || v === undefined || v === '' || v === '0';
}

interface MediaRange { type: string; subtype: string; params: Record<string, string> }

/** PHP trim()'s default character set. */
function phpTrim(s: string): string {
  return s.replace(/^[ \t\n\r\0\x0B]+|[ \t\n\r\0\x0B]+$/g, '');
}

/** Mimeparse::parse_mime_type(). */
function parseMimeType(mimeType: string): MediaRange {
  const parts = mimeType.split(';');
  const params: Record<string, string> = {};
  for (const part of parts) {
    if (part.includes('=')) {
      const [k, v = ''] = phpTrim(part).split('=');
      params[k] = v;
    }
  }
  let fullType = phpTrim(parts[0]);
  if (fullType === '*') fullType = '*/*';
  const [type, subtype] = fullType.split('/');
  // PHP `!$subtype`: missing, '' and '0' are all rejected.
  if (subtype === undefined || subtype === '' || subtype === '0') throw new MalformedMimeTypeError(mimeType);
  return { type: phpTrim(type), subtype: phpTrim(subtype), params };
}

/** Mimeparse::parse_media_range(): q defaults to '1' unless it is a number in (0, 1]. */
function parseMediaRange(range: string): MediaRange {
  const parsed = parseMimeType(range);
  const q = parsed.params.q;
  const qv = q === undefined ? 0 : phpFloatval(q);
  if (!(q !== undefined && q !== '' && q !== '0' && qv && qv <= 1 && qv >= 0)) parsed.params.q = '1';
  return parsed;
}

/** PHP floatval() of a string: the longest leading decimal number, else 0. */
function phpFloatval(s: string): number {
  const m = /^[ \t\n\r\v\f]*[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?/.exec(s);
  return m ? Number(m[0].trim()) : 0;
}

/** Mimeparse::fitness_and_quality_parsed(). */
function fitnessAndQuality(mimeType: string, ranges: readonly MediaRange[]): [number, number] {
  let bestFitness = -1;
  let bestQ = '0';
  const target = parseMediaRange(mimeType);
  for (const r of ranges) {
    const typeOk = r.type === target.type || r.type === '*' || target.type === '*';
    const subtypeOk = r.subtype === target.subtype || r.subtype === '*' || target.subtype === '*';
    if (!typeOk || !subtypeOk) continue;
    let paramMatches = 0;
    for (const [k, v] of Object.entries(target.params)) {
      if (k !== 'q' && r.params[k] !== undefined && r.params[k] === v) paramMatches++;
    }
    const fitness = (r.type === target.type ? 100 : 0) + (r.subtype === target.subtype ? 10 : 0) + paramMatches;
    if (fitness > bestFitness) {
      bestFitness = fitness;
      bestQ = r.params.q;
    }
  }
  return [bestFitness, phpFloatval(bestQ)];
}

/**
 * Mimeparse::best_match(): the supported mime type that best matches the `header` ranges, or null.
 * Throws {@link MalformedMimeTypeError} for a malformed range.
 */
export function bestMatch(supported: readonly string[], header: string): string | null {
  const ranges = header.split(',').map(parseMediaRange);
  let best: { fitness: number; q: number; mime: string } | null = null;
  for (const mime of supported) {
    const [fitness, q] = fitnessAndQuality(mime, ranges);
    const candidate = { fitness, q, mime };
    if (best === null || compareMatches(candidate, best) > 0) best = candidate;
  }
  return best === null || !best.q ? null : best.mime;
}

function compareMatches(a: { fitness: number; q: number; mime: string }, b: typeof a): number {
  if (a.fitness !== b.fitness) return a.fitness - b.fitness;
  if (a.q !== b.q) return a.q - b.q;
  return a.mime < b.mime ? -1 : a.mime > b.mime ? 1 : 0;
}
