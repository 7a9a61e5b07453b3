import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Forward } from './forwarder.js';

/**
 * An onRequest hook: a request no route matches (a path outside Gatehouse's endpoints) goes to the legacy
 * site before Fastify reads its body, so the body streams through and Gatehouse's body limit does not apply.
 */
export function forwardUnrouted(forward: Forward) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    if (!request.is404) return undefined;
    await forward(request, reply);
    return reply;
  };
}
