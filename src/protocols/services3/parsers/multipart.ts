/**
 * `multipart/form-data` bodies: ServicesParserMultipart returns PHP's $_POST, i.e. the non-file fields
 * registered with parse_str()'s bracket rules (shared with urlencoded.ts); file parts are left out.
 *
 * Malformed input never throws, like PHP, which only warns and keeps what it parsed: a missing or unusable
 * boundary gives `{}`, and a damaged or truncated body gives the fields of the parts completed before the
 * damage. A caller that needs a field then fails with its usual "Missing required argument" error.
 *
 * Parts are classified as PHP does: a part with a `filename` parameter (even an empty one) is an upload and
 * left out, any other part is a field whatever its Content-Type (busboy's default would call every
 * `application/octet-stream` part a file).
 */
import { Busboy, type BusboyInstance } from '@fastify/busboy';
import { MAX_INPUT_VARS, PhpFormBuilder } from './urlencoded.js';

const MAX_FILE_UPLOADS = 20;

/** Parses `body` with the boundary of the full Content-Type header value `contentType`. */
export function parseMultipart(contentType: string, body: Buffer): Promise<Record<string, unknown>> {
  const form = new PhpFormBuilder();
  let parser: BusboyInstance;
  try {
    parser = new Busboy({
      headers: { 'content-type': contentType },
      defCharset: 'utf8',
      isPartAFile: (_name, _type, filename) => filename !== undefined,
      // The body is already in memory: parts never push back. (With the default 16 KB, a part without a
      // Content-Disposition longer than that stalls the parser for good: found by bench/fuzz-parsers.ts.)
      fileHwm: body.length + 1, highWaterMark: body.length + 1,
      limits: {
        fieldNameSize: body.length + 1, fieldSize: body.length + 1, fields: MAX_INPUT_VARS,
        // Files are skipped (as $_POST leaves them out); PHP's max_file_uploads (20) bounds how many are read.
        parts: MAX_INPUT_VARS + MAX_FILE_UPLOADS, files: MAX_FILE_UPLOADS, fileSize: Infinity, headerPairs: 2000, headerSize: body.length + 1,
      },
    });
  } catch {
    return Promise.resolve(form.result());
  }
  return new Promise((resolve) => {
    let settled = false;
    const finish = () => {
      if (settled) return;
      settled = true;
      parser.removeAllListeners();
      parser.on('error', () => { /* late errors after we settled are ignored */ });
      resolve(form.result());
    };
    parser.on('field', (name: string | undefined, value: string) => {
      if (typeof name === 'string' && name !== '') form.add(latin1(name), latin1(value));
    });
    parser.on('file', (_name: string, stream: NodeJS.ReadableStream) => {
      stream.on('error', () => { /* a truncated upload; the form error settles the parse */ });
      stream.resume();
    });
    parser.on('error', finish);
    parser.on('close', finish);
    parser.on('finish', finish);
    try {
      parser.end(body);
    } catch {
      finish();
    }
  });
}

/** The form builder works on byte strings, as PHP does; busboy hands over decoded text. */
function latin1(s: string): string {
  return Buffer.from(s, 'utf8').toString('latin1');
}
