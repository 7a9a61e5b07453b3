// A raw-socket HTTP/1.1 client: the request goes out byte for byte as given (method, path, header names in
// their case and order, body bytes) with `Connection: close`, and the response is returned unmodified: the
// status code, the reason phrase exactly as sent, the headers in raw order with duplicates, the body.
import net from 'node:net';
import type { HeaderList } from './transcripts.js';

export interface RawRequest {
  host: string;
  port: number;
  method: string;
  path: string;
  headers: HeaderList;
  body: string | Buffer | null;
  timeoutMs?: number;
}

export interface RawResponse {
  status: number;
  /** Everything after "HTTP/1.1 NNN " (may be empty, may start with ":"). */
  reason: string;
  statusLine: string;
  headers: HeaderList;
  body: string;
  elapsedMs: number;
}

export class RawHttpError extends Error {}

/**
 * Content-Length as the recording meant it: when the recorded value was the true length of the recorded body,
 * it becomes the true length of the body actually sent; an odd recorded value is kept as it was. Adds
 * `Connection: close` when the recording had no Connection header (every shared transcript has one).
 */
export function fixFraming(headers: HeaderList, recordedBody: string | null, body: string | Buffer | null): HeaderList {
  const recLen = recordedBody == null ? 0 : Buffer.byteLength(recordedBody);
  const len = body == null ? 0 : Buffer.isBuffer(body) ? body.length : Buffer.byteLength(body);
  const out: HeaderList = headers.map(([k, v]) =>
    k.toLowerCase() === 'content-length' && Number(v) === recLen ? [k, String(len)] : [k, v],
  );
  if (!out.some(([k]) => k.toLowerCase() === 'connection')) out.push(['Connection', 'close']);
  return out;
}

export function serialiseRequest(req: Pick<RawRequest, 'method' | 'path' | 'headers' | 'body'>): Buffer {
  let head = `${req.method} ${req.path} HTTP/1.1\r\n`;
  for (const [k, v] of req.headers) head += `${k}: ${v}\r\n`;
  head += '\r\n';
  const body = req.body == null ? Buffer.alloc(0) : Buffer.isBuffer(req.body) ? req.body : Buffer.from(req.body, 'utf8');
  return Buffer.concat([Buffer.from(head, 'latin1'), body]);
}

export function sendRaw(req: RawRequest): Promise<RawResponse> {
  const bytes = serialiseRequest(req);
  const timeoutMs = req.timeoutMs ?? 30_000;
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    const chunks: Buffer[] = [];
    let settled = false;
    const fail = (e: Error) => {
      if (settled) return;
      settled = true;
      reject(e);
    };
    const sock = net.connect(req.port, req.host, () => sock.write(bytes));
    sock.setTimeout(timeoutMs, () => sock.destroy(new RawHttpError(`no complete response after ${timeoutMs} ms`)));
    sock.on('data', (d: Buffer) => chunks.push(d));
    sock.on('error', (e) => fail(new RawHttpError(`${req.method} ${req.path}: ${e.message}`)));
    sock.on('close', () => {
      if (settled) return;
      try {
        const res = parseResponse(Buffer.concat(chunks), req.method);
        settled = true;
        resolve({ ...res, elapsedMs: Date.now() - t0 });
      } catch (e) {
        fail(e as Error);
      }
    });
  });
}

/** Parse a complete response read until the server closed the connection. */
export function parseResponse(raw: Buffer, method: string): Omit<RawResponse, 'elapsedMs'> {
  const end = raw.indexOf('\r\n\r\n');
  if (end < 0) {
    throw new RawHttpError(`no end of headers in ${JSON.stringify(raw.toString('latin1').slice(0, 120))}`);
  }
  // Header bytes are decoded as latin1, as the recorder did (the reason phrase keeps its exact bytes).
  const lines = raw.subarray(0, end).toString('latin1').split('\r\n');
  const statusLine = lines[0];
  const m = /^HTTP\/\d\.\d (\d{3})(?: (.*))?$/.exec(statusLine);
  if (!m) throw new RawHttpError(`bad status line ${JSON.stringify(statusLine)}`);
  const headers: HeaderList = lines.slice(1).map((l) => {
    const i = l.indexOf(':');
    return i < 0 ? [l, ''] : [l.slice(0, i), l.slice(i + 1).trim()];
  });
  const status = Number(m[1]);
  let body = raw.subarray(end + 4);
  const get = (n: string) => headers.find(([k]) => k.toLowerCase() === n)?.[1];
  const noBody = method === 'HEAD' || status === 204 || status === 304 || (status >= 100 && status < 200);
  if (noBody) body = Buffer.alloc(0);
  else if (/chunked/i.test(get('transfer-encoding') ?? '')) body = dechunk(body);
  else if (get('content-length') !== undefined) body = body.subarray(0, Number(get('content-length')));
  return { status, reason: m[2] ?? '', statusLine, headers, body: body.toString('utf8') };
}

function dechunk(buf: Buffer): Buffer {
  const parts: Buffer[] = [];
  let pos = 0;
  for (;;) {
    const eol = buf.indexOf('\r\n', pos);
    if (eol < 0) throw new RawHttpError('truncated chunked body');
    const size = parseInt(buf.subarray(pos, eol).toString('latin1').split(';')[0], 16);
    if (Number.isNaN(size)) throw new RawHttpError('bad chunk size');
    if (size === 0) return Buffer.concat(parts);
    parts.push(buf.subarray(eol + 2, eol + 2 + size));
    pos = eol + 2 + size + 2;
  }
}
