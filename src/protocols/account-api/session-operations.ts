/**
 * The sessions of the account API: a user lists and ends their own sessions ("my sessions" without a page),
 * an administrator those of any account. Sessions are named by an opaque id (an HMAC of the stored id): the
 * stored id itself is the cookie value where a legacy site does not hash its ids, and is never shown.
 */
import { recordAccountEvent } from '../../core/audit/account-events.js';
import { hmacBase64 } from '../../core/crypto/hmac.js';
import type { SessionRecord } from '../../core/model.js';
import { endOtherSessions } from '../../core/sessions/other-sessions.js';
import { sessionBrowser } from '../session/session-browser.js';
import { type ApiCall, ApiError, type ApiOperation, type JsonSchema } from './api-operation.js';

/** A user has at most this many sessions listed (and searched when one is ended). */
const MAX_LISTED = 200;

const SESSION_SCHEMA: JsonSchema = {
  type: 'object', required: ['id', 'current', 'browser', 'hostname', 'lastSeen'],
  properties: {
    id: { type: 'string', description: 'Opaque id of the session (not its cookie).' },
    current: { type: 'boolean', description: 'Whether this is the session of the request.' },
    browser: { type: 'string', description: 'Browser the web pages saw it with, or "Unknown".' },
    hostname: { type: 'string', description: 'IP address it was last used from.' },
    lastSeen: { type: 'string', format: 'date-time' },
  },
};
const SESSIONS_SCHEMA: JsonSchema = { type: 'object', required: ['sessions'], properties: { sessions: { type: 'array', items: SESSION_SCHEMA } } };
const ENDED_SCHEMA: JsonSchema = { type: 'object', required: ['ended'], properties: { ended: { type: 'integer', minimum: 0 } } };
const UID: JsonSchema = { type: 'string', pattern: '^[1-9][0-9]{0,9}$' };
const ID = { name: 'id', in: 'path' as const, description: 'The session\'s id as listed.', schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{16}$' } };
const ACCOUNT = { name: 'uid', in: 'path' as const, description: 'The account.', schema: UID };

const opaqueId = (call: ApiCall, record: SessionRecord) => hmacBase64(record.sid, call.core.keys.privateKey).slice(0, 16);

async function sessionsOf(call: ApiCall, uid: number): Promise<SessionRecord[]> {
  return call.queries.sessions({ uid, limit: MAX_LISTED });
}

function shown(call: ApiCall, record: SessionRecord) {
  return {
    id: opaqueId(call, record), current: record.sid === call.context.session.record?.sid, browser: sessionBrowser(record),
    hostname: record.hostname, lastSeen: new Date(record.timestamp * 1000).toISOString(),
  };
}

/** The account a path names, or 404. */
async function account(call: ApiCall): Promise<{ uid: number; name: string }> {
  const found = await call.core.store.accounts.byUid(Number(call.params.uid));
  if (!found || found.uid === 0) throw new ApiError(404, 'There is no such account.');
  return { uid: found.uid, name: found.name };
}

/** The audit event (and its webhooks) of sessions ended through the API, as every account event is recorded. */
function sessionsEnded(call: ApiCall, target: { uid: number; name: string }, detail: string): Promise<void> {
  return recordAccountEvent({ ...call.core, audit: call.audit }, call.context.caller, 'session_end', target, detail);
}

async function endOne(call: ApiCall, target: { uid: number; name: string }): Promise<{ ended: number }> {
  const record = (await sessionsOf(call, target.uid)).find((s) => opaqueId(call, s) === call.params.id);
  if (!record) throw new ApiError(404, 'There is no such session.');
  if (record.sid === call.context.session.record?.sid) throw new ApiError(400, 'This is the session of the request: log out instead.');
  await call.core.store.sessions.delete(record.sid);
  await sessionsEnded(call, target, `session from ${record.hostname} (API)`);
  return { ended: 1 };
}

async function endAllBut(call: ApiCall, target: { uid: number; name: string }): Promise<{ ended: number }> {
  const ended = await endOtherSessions(call.core.store, call.queries, target.uid, call.context.session.record?.sid ?? null);
  await sessionsEnded(call, target, `all ${ended} other sessions (API)`);
  return { ended };
}

const self = (call: ApiCall) => ({ uid: call.context.session.actor.uid, name: call.context.session.actor.name });

export const SESSION_OPERATIONS: ApiOperation[] = [
  {
    method: 'GET', path: '/sessions', summary: 'The sessions of the logged-in account, newest first.', access: 'authenticated',
    response: { description: 'The sessions.', schema: SESSIONS_SCHEMA },
    handler: async (call) => ({ sessions: (await sessionsOf(call, self(call).uid)).map((s) => shown(call, s)) }),
  },
  {
    method: 'DELETE', path: '/sessions', summary: 'Ends every other session of the logged-in account.', access: 'authenticated',
    response: { description: 'How many sessions ended.', schema: ENDED_SCHEMA },
    handler: (call) => endAllBut(call, self(call)),
  },
  {
    method: 'DELETE', path: '/sessions/{id}', summary: 'Ends one session of the logged-in account (not the request\'s own: log out).', access: 'authenticated',
    parameters: [ID], response: { description: 'The session ended.', schema: ENDED_SCHEMA },
    handler: (call) => endOne(call, self(call)),
  },
  {
    method: 'GET', path: '/users/{uid}/sessions', summary: 'The sessions of an account.', access: 'administer users',
    parameters: [ACCOUNT], response: { description: 'The sessions.', schema: SESSIONS_SCHEMA },
    handler: async (call) => ({ sessions: (await sessionsOf(call, (await account(call)).uid)).map((s) => shown(call, s)) }),
  },
  {
    method: 'DELETE', path: '/users/{uid}/sessions', summary: 'Ends every session of an account (but the request\'s own).', access: 'administer users',
    parameters: [ACCOUNT], response: { description: 'How many sessions ended.', schema: ENDED_SCHEMA },
    handler: async (call) => endAllBut(call, await account(call)),
  },
  {
    method: 'DELETE', path: '/users/{uid}/sessions/{id}', summary: 'Ends one session of an account.', access: 'administer users',
    parameters: [ACCOUNT, ID], response: { description: 'The session ended.', schema: ENDED_SCHEMA },
    handler: async (call) => endOne(call, await account(call)),
  },
];
