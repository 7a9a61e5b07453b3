import type { FastifyReply } from 'fastify';
import { contentTypeHeader, FORMATTERS } from './formats/index.js';

/** Headers every Drupal 7 page sends. */
export const DRUPAL_HEADERS: Record<string, string> = {
  Expires: 'Sun, 19 Nov 1978 05:00:00 GMT',
  'Cache-Control': 'no-cache, must-revalidate',
  'X-Content-Type-Options': 'nosniff',
};

/**
 * PHP sends a reason phrase's UTF-8 bytes as they are. Node checks a reason phrase one char per byte (none
 * above U+00FF), so it gets the UTF-8 bytes as a latin1 string; sendText() then makes sure node writes the
 * head as latin1 (see there). Control characters (a `%00` in a resource name, say) cannot travel on a status
 * line: they are dropped.
 */
export const wireText = (text: string): string =>
  Buffer.from(text.replace(/[\x00-\x08\x0a-\x1f\x7f]/g, ''), 'utf8').toString('latin1');

export interface Outcome {
  status: number;
  /** Everything after the code on the status line; null = the standard phrase. */
  reason: string | null;
  format: { name: string; mime: string } | null;
  vary: boolean;
  body: unknown;
  /** Empty text/html body (errors Services raises before its formatter exists). */
  bodyless?: boolean;
  setCookies: string[];
  query: Record<string, unknown>;
}

/** Writes a Services response: status line, Drupal's headers, cookies, the body in the chosen format. */
export function send(reply: FastifyReply, o: Outcome): FastifyReply {
  reply.code(o.status);
  if (o.reason !== null) reply.raw.statusMessage = wireText(o.reason);
  reply.headers(DRUPAL_HEADERS);
  if (o.vary) addVary(reply, 'Accept');
  if (o.setCookies.length > 0) reply.header('Set-Cookie', o.setCookies);
  if (o.bodyless || o.format === null) return sendText(reply, 'text/html; charset=UTF-8', '');
  const formatter = FORMATTERS[o.format.name];
  return sendText(reply, contentTypeHeader(o.format.mime), formatter.render(o.body, { query: o.query }));
}

/** Leaves a text body as it is: with a serializer of its own, Fastify appends no charset to the Content-Type. */
const asIs = (text: unknown): string => text as string;

/**
 * Sends text with exactly this Content-Type. As a string (not a Buffer) node writes the head and the body
 * in one go — but then in the body's encoding, UTF-8, which would encode a reason phrase's bytes a second
 * time (`bÃ\u0083Â³b` for `bób`). With a reason beyond ASCII the body goes as a Buffer: node then writes the
 * head on its own, as latin1, i.e. the bytes wireText() chose.
 */
export function sendText(reply: FastifyReply, contentType: string, text: string): FastifyReply {
  reply.header('Content-Type', contentType);
  const head = reply.raw.statusMessage;
  if (typeof head === 'string' && /[^\x00-\x7f]/.test(head)) return reply.send(Buffer.from(text, 'utf8'));
  return reply.serializer(asIs).send(text);
}

/** Adds a name to Vary, keeping what is there (CORS adds `Origin`). */
export function addVary(reply: FastifyReply, name: string): void {
  const current = reply.getHeader('Vary');
  const names = typeof current === 'string' && current !== '' ? current.split(',').map((v) => v.trim()) : [];
  if (!names.some((v) => v.toLowerCase() === name.toLowerCase())) names.push(name);
  reply.header('Vary', names.join(', '));
}
