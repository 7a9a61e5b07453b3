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

/** A file part of a form (PHP's $_FILES entry): its field name, the client's file name and type, its bytes. */
export interface UploadedFile { field: string; filename: string; type: string; bytes: Buffer }

/** A multipart form as the web pages read it: the fields as PHP registers them, in order, and the uploads. */
export interface MultipartForm {
  fields: Record<string, unknown>;
  /** The fields as sent, in order (UTF-8 text), for URLSearchParams-style reads. */
  pairs: Array<[string, string]>;
  files: UploadedFile[];
}

/** Parses `body` with the boundary of the full Content-Type header value `contentType`. */
export async function parseMultipart(contentType: string, body: Buffer): Promise<Record<string, unknown>> {
  return (await readMultipart(contentType, body, false)).fields;
}

/** Like parseMultipart, and keeps the file parts too (each at most the body's size, which the body limit bounds). */
export function parseMultipartWithFiles(contentType: string, body: Buffer): Promise<MultipartForm> {
  return readMultipart(contentType, body, true);
}

function readMultipart(contentType: string, body: Buffer, keepFiles: boolean): Promise<MultipartForm> {
  const form = new PhpFormBuilder();
  const pairs: Array<[string, string]> = [];
  const files: UploadedFile[] = [];
  const result = () => ({ fields: form.result(), pairs, files });
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
    return Promise.resolve(result());
  }
  return new Promise((resolve) => {
    let settled = false;
    const finish = () => {
      if (settled) return;
      settled = true;
      parser.removeAllListeners();
      parser.on('error', () => { /* late errors after we settled are ignored */ });
      resolve(result());
    };
    parser.on('field', (name: string | undefined, value: string) => {
      if (typeof name !== 'string' || name === '') return;
      form.add(latin1(name), latin1(value));
      pairs.push([name, value]);
    });
    parser.on('file', (name: string, stream: NodeJS.ReadableStream, filename: string, _encoding: string, type: string) => {
      stream.on('error', () => { /* a truncated upload; the form error settles the parse */ });
      if (!keepFiles || typeof name !== 'string' || name === '') { stream.resume(); return; }
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => { chunks.push(chunk); });
      stream.on('end', () => {
        // An empty file input sends a part with an empty filename and no bytes: PHP's UPLOAD_ERR_NO_FILE.
        if (filename === '' && chunks.length === 0) return;
        files.push({ field: name, filename, type, bytes: Buffer.concat(chunks) });
      });
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
