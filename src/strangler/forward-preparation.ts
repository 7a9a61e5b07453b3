import type { FastifyRequest } from 'fastify';
import { hashSessionId } from '../core/crypto/session-id.js';
import type { VariableRepository } from '../core/ports.js';
import type { ForwardPreparation, HeaderFilter } from './forwarder.js';
import type { WriteBack } from './write-back.js';

/** Drupal's session cookie names: SESS… over HTTP, SSESS… over HTTPS. */
const SESSION_COOKIE = /^S?SESS[0-9a-f]{32}$/;
/** The cookie Drupal sends when it ends (or does not find) a session: `SESS…=deleted; expires=<past>`. */
const SESSION_DELETION = /^S?SESS[0-9a-f]{32}=deleted;/;

/** Where the server notes the Host clients reach it under; `bridge check` probes the legacy site with it. */
export const CLIENT_HOST_VARIABLE = 'gatehouse_bridge_client_host';
const NOTE_INTERVAL_MS = 10_000;

/**
 * Before a request goes to the legacy site:
 * - a session whose write-back (e.g. the login that made it, during a legacy database outage) still waits
 *   in bridge_outbox is delivered first; if it still cannot be, Drupal will not find the session and answers
 *   `…=deleted`: that deletion is not passed on, so the client keeps a session that is valid;
 * - the Host the client sent is noted for `bridge check` (when it changes, at most every 10 s per process).
 */
export function forwardPreparation(writeBack: WriteBack, variables: VariableRepository): ForwardPreparation {
  let noted: string | undefined;
  let notedAt = 0;
  return async (request) => {
    const host = request.headers.host;
    // At most one write per NOTE_INTERVAL_MS, however many Host values arrive.
    if (host && host !== noted && Date.now() - notedAt >= NOTE_INTERVAL_MS) {
      noted = host;
      notedAt = Date.now();
      await variables.set(CLIENT_HOST_VARIABLE, host).catch(() => undefined);
    }
    let held = false;
    for (const value of sessionCookieValues(request)) {
      const sid = hashSessionId(value);
      if (!(await writeBack.pendingForSession(sid))) continue;
      await writeBack.flushNow();
      if (await writeBack.pendingForSession(sid)) held = true;
    }
    return held ? keepSessionCookies : null;
  };
}

function sessionCookieValues(request: FastifyRequest): string[] {
  const out: string[] = [];
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && SESSION_COOKIE.test(part.slice(0, eq).trim())) out.push(part.slice(eq + 1).trim());
  }
  return out;
}

const keepSessionCookies: HeaderFilter = (headers) => {
  const cookies = headers['set-cookie'];
  if (cookies === undefined) return headers;
  const kept = (Array.isArray(cookies) ? cookies : [cookies]).filter((c) => !SESSION_DELETION.test(c));
  const { 'set-cookie': _dropped, ...rest } = headers;
  return kept.length > 0 ? { ...rest, 'set-cookie': kept } : rest;
};
