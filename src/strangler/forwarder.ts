import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type Dispatcher, errors, Pool } from 'undici';
import type { LegacyConfig } from '../config/config.js';

/** Hands a request Gatehouse does not serve to the legacy site and streams its answer back. */
export type Forward = (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply>;

export interface Forwarder { forward: Forward; close(): Promise<void> }

/** What a forwarded answer's headers go through before the client gets them. */
export type HeaderFilter = (headers: Record<string, string | string[]>) => Record<string, string | string[]>;
/** Runs before a request goes to the legacy site; may return a filter for its answer's headers. */
export type ForwardPreparation = (request: FastifyRequest) => Promise<HeaderFilter | null>;

/** Connection-level headers (RFC 9110 §7.6.1) that a proxy never passes on. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

const GATEWAY_TIMEOUT = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT']);

/**
 * A reverse proxy to the legacy origin over a keep-alive undici pool. Method, path and query, headers
 * (Host included, so Drupal derives the same cookie name), cookies and body go as they came, plus
 * X-Forwarded-For/-Proto/-Host; the status line (reason phrase included), headers and body come back as the
 * origin sent them. Bodies stream both ways. No answer within the timeout: 504; no connection: 502.
 */
export function createForwarder(legacy: LegacyConfig & { origin: string }, prepare?: ForwardPreparation): Forwarder {
  const pool = new Pool(legacy.origin, {
    connections: 256, keepAliveTimeout: 30_000, headersTimeout: legacy.timeoutMs, bodyTimeout: legacy.timeoutMs,
    connect: { timeout: legacy.timeoutMs },
  });

  const forward: Forward = async (request, reply) => {
    const filter = prepare ? await prepare(request) : null;
    const headers = outgoingHeaders(request);
    const body = requestBody(request, headers);
    let upstream: Dispatcher.ResponseData;
    try {
      upstream = await pool.request({ method: request.method, path: request.url, headers, body });
    } catch (err) {
      return failed(request, reply, err);
    }
    reply.hijack();
    const res = reply.raw;
    const answered = incomingHeaders(upstream.headers);
    res.writeHead(upstream.statusCode, reasonBytes(upstream.statusText), filter ? filter(answered) : answered);
    try {
      await pipeline(upstream.body, res);
    } catch (err) {
      request.log.warn({ err, url: request.url }, 'legacy answer broke off while streaming');
      res.destroy();
    }
    return reply;
  };

  return { forward, close: () => pool.close() };
}

function outgoingHeaders(request: FastifyRequest): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value;
  }
  const peer = request.raw.socket.remoteAddress ?? '';
  const prior = request.headers['x-forwarded-for'];
  out['x-forwarded-for'] = prior ? `${Array.isArray(prior) ? prior.join(', ') : prior}, ${peer}` : peer;
  if (!request.headers['x-forwarded-proto']) out['x-forwarded-proto'] = request.protocol;
  if (!request.headers['x-forwarded-host'] && request.headers.host) out['x-forwarded-host'] = request.headers.host;
  return out;
}

/**
 * The body to send on: the raw request stream when nothing read it yet (requests outside the endpoints,
 * forwarded before body parsing), else the buffer the Services pipeline already read.
 */
function requestBody(request: FastifyRequest, headers: Record<string, string | string[]>): Buffer | Readable | undefined {
  const body = request.body;
  if (Buffer.isBuffer(body) || typeof body === 'string') {
    const buffer = Buffer.isBuffer(body) ? body : Buffer.from(body);
    headers['content-length'] = String(buffer.length);
    return buffer;
  }
  const hasBody = request.headers['content-length'] !== undefined && request.headers['content-length'] !== '0' || request.headers['transfer-encoding'] !== undefined;
  if (!hasBody || request.raw.readableEnded) {
    if (request.headers['content-length'] !== undefined) headers['content-length'] = '0';
    return undefined;
  }
  return request.raw;
}

/**
 * The origin's reason phrase as it sent it. undici decodes it as UTF-8, node writes it (and header values,
 * which undici decodes as latin1) one byte per char: back to the UTF-8 bytes, or `bób` arrives as `bÃ³b`
 * (and a CJK name made writeHead throw). Bytes that are not UTF-8 arrive from undici already replaced by U+FFFD.
 */
function reasonBytes(statusText: string): string | undefined {
  return statusText === '' ? undefined : Buffer.from(statusText, 'utf8').toString('latin1');
}

function incomingHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value;
  return out;
}

function failed(request: FastifyRequest, reply: FastifyReply, err: unknown): FastifyReply {
  const code = (err as { code?: string }).code ?? '';
  const timeout = GATEWAY_TIMEOUT.has(code) || err instanceof errors.HeadersTimeoutError;
  const status = timeout ? 504 : 502;
  const message = timeout ? 'The legacy site did not answer in time.' : 'The legacy site could not be reached.';
  request.log.warn({ err, url: request.url, status }, 'forwarding to the legacy site failed');
  reply.raw.statusMessage = `${timeout ? 'Gateway Timeout' : 'Bad Gateway'} : ${message}`;
  return reply.code(status).header('Content-Type', 'application/json').send(JSON.stringify([message]));
}
