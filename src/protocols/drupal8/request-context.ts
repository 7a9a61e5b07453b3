import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config/config.js';
import { type Caller, type CoreDeps, depsForRequest } from '../../core/core-deps.js';
import { callerAfterSessionChange, openRequestContext } from '../request-context.js';
import type { SessionHandle } from '../session/session-handle.js';
import { toDrupal8Error } from './error-status.js';
import { sendEmpty, sendError, sendJson, sendText } from './responder.js';

/** What a Drupal 8+ route handler is given: the core, the caller, its session (one per request). */
export interface Drupal8Context {
  config: Config;
  core: CoreDeps;
  caller: Caller;
  session: SessionHandle;
  /** The request carried the session cookie (the header CSRF check applies only then). */
  hasCookie: boolean;
  request: FastifyRequest;
}

/** A handler's answer: a serialized body, a plain-text body, or none (204, or 200 with an empty body). */
export type Drupal8Answer = { status: number; json: unknown } | { status: 200; text: string } | { status: 200 | 204; empty: true };

export type Drupal8Handler = (ctx: Drupal8Context) => Promise<Drupal8Answer>;

/**
 * Runs one handler: builds the context once, answers an error through the one mapping, and ends the
 * session's request (written, created lazily, or destroyed) whatever the outcome.
 */
export async function runDrupal8(config: Config, core: CoreDeps, request: FastifyRequest, reply: FastifyReply, handler: Drupal8Handler): Promise<FastifyReply> {
  // The request's own view of the store (PostgreSQL: session, account and roles in one round trip).
  const deps = depsForRequest(core);
  const { session, settings, caller } = await openRequestContext(config, deps, request);
  const ctx: Drupal8Context = { config, core: deps, caller, session, hasCookie: session.record !== null, request };
  try {
    const answer = await handler(ctx);
    await session.commit();
    const a = { setCookies: session.setCookies };
    if ('json' in answer) return sendJson(reply, answer.status, answer.json, a);
    if ('text' in answer) return sendText(reply, answer.text, a);
    return sendEmpty(reply, answer.status, a);
  } catch (err) {
    const outcome = toDrupal8Error(err, settings, config.drupal8.version);
    if (outcome === null) request.log.error({ err }, 'drupal8 request failed');
    await session.commit();
    return sendError(reply, outcome, { setCookies: session.setCookies });
  }
}

/** The caller's actor after a login or logout inside the handler. */
export function refreshCaller(ctx: Drupal8Context): void {
  ctx.caller = callerAfterSessionChange(ctx);
}
