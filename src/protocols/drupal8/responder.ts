import type { FastifyReply } from 'fastify';
import { phpJsonEncodeHex } from '../../lib/php-json.js';
import type { Drupal8Outcome } from './error-status.js';

/** Headers Drupal 8+ sends on these answers (the page cache is off for them). */
const HEADERS = { 'Cache-Control': 'must-revalidate, no-cache, private', 'X-Content-Type-Options': 'nosniff' };

/** With a serializer of its own, Fastify appends no charset to the Content-Type (Drupal sends none on JSON). */
const asIs = (text: unknown): string => text as string;

export interface Answer { setCookies?: string[] }

function start(reply: FastifyReply, status: number, a: Answer): FastifyReply {
  reply.code(status).headers(HEADERS);
  if (a.setCookies && a.setCookies.length > 0) reply.header('Set-Cookie', a.setCookies);
  return reply;
}

/** A serialized body (`_format=json`): Drupal's serializer escapes like Symfony's JsonResponse. */
export function sendJson(reply: FastifyReply, status: number, body: unknown, a: Answer = {}): FastifyReply {
  return start(reply, status, a).header('Content-Type', 'application/json').serializer(asIs).send(phpJsonEncodeHex(body));
}

export function sendText(reply: FastifyReply, body: string, a: Answer = {}): FastifyReply {
  return start(reply, 200, a).header('Content-Type', 'text/plain; charset=UTF-8').serializer(asIs).send(body);
}

export function sendEmpty(reply: FastifyReply, status: number, a: Answer = {}): FastifyReply {
  start(reply, status, a);
  return status === 204 ? reply.send() : reply.header('Content-Type', 'application/json').serializer(asIs).send('');
}

/** An HTTP exception as ExceptionJsonSubscriber renders it; anything else as the final 500 page. */
export function sendError(reply: FastifyReply, outcome: Drupal8Outcome, a: Answer = {}): FastifyReply {
  if (outcome === null) {
    return start(reply, 500, a).header('Content-Type', 'text/plain; charset=UTF-8').send('The website encountered an unexpected error. Try again later.');
  }
  start(reply, outcome.status, a).headers(outcome.headers);
  return reply.header('Content-Type', 'application/json').serializer(asIs).send(phpJsonEncodeHex({ message: outcome.message }));
}
