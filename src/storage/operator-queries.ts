/**
 * What operators look at and lift by hand (`gatehouse flood …`, `gatehouse session …`, `gatehouse
 * permission revoke`): read and delete over the shared tables, so every instance sees the change at once.
 */
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

export interface FloodEntry { event: string; identifier: string; count: number; first: number; last: number; expires: number }

/** Live flood events, grouped by event and identifier (Drupal's: `uid-ip` or `uid` for users, the ip for ips). */
export async function listFlood(db: Kysely<Database>, now: number): Promise<FloodEntry[]> {
  const rows = await db.selectFrom('flood')
    .select(['event', 'identifier', (eb) => eb.fn.countAll<number>().as('count'), (eb) => eb.fn.min('timestamp').as('first'), (eb) => eb.fn.max('timestamp').as('last'), (eb) => eb.fn.max('expiration').as('expires')])
    .where('expiration', '>=', now).groupBy(['event', 'identifier']).orderBy('event').orderBy('identifier').execute();
  return rows.map((r) => ({ event: r.event, identifier: r.identifier, count: Number(r.count), first: Number(r.first), last: Number(r.last), expires: Number(r.expires) }));
}

export type FloodTarget = { uid: number } | { ip: string } | { all: true };

/** Deletes a user's failed-login events (every ip), an ip's, or all; returns how many rows went. */
export async function clearFlood(db: Kysely<Database>, target: FloodTarget): Promise<number> {
  let q = db.deleteFrom('flood');
  if ('uid' in target) {
    q = q.where('event', '=', 'failed_login_attempt_user')
      .where((eb) => eb.or([eb('identifier', '=', String(target.uid)), eb('identifier', 'like', `${target.uid}-%`)]));
  } else if ('ip' in target) {
    q = q.where('event', '=', 'failed_login_attempt_ip').where('identifier', '=', target.ip);
  }
  const r = await q.executeTakeFirst();
  return Number(r.numDeletedRows ?? 0);
}

/** A session as an operator sees it: `ref` is the start of the stored hash, never the id the browser holds. */
export interface SessionEntry { ref: string; uid: number; hostname: string; lastSeen: number; https: boolean }

const REF_LENGTH = 12;

export async function listSessions(db: Kysely<Database>, uid: number): Promise<SessionEntry[]> {
  const rows = await db.selectFrom('sessions').select(['sid', 'ssid', 'uid', 'hostname', 'timestamp']).where('uid', '=', uid).orderBy('timestamp', 'desc').execute();
  return rows.map((r) => ({ ref: (r.sid || r.ssid).slice(0, REF_LENGTH), uid: Number(r.uid), hostname: r.hostname, lastSeen: Number(r.timestamp), https: r.sid === '' }));
}

/** Ends one session of `uid` (by its ref) or all of them; returns how many. */
export async function revokeSessions(db: Kysely<Database>, uid: number, ref?: string): Promise<number> {
  let q = db.deleteFrom('sessions').where('uid', '=', uid);
  if (ref !== undefined) {
    if (ref.length < 6) throw new Error('give at least 6 characters of the session ref');
    q = q.where((eb) => eb.or([eb('sid', 'like', `${ref}%`), eb('ssid', 'like', `${ref}%`)]));
  }
  const r = await q.executeTakeFirst();
  return Number(r.numDeletedRows ?? 0);
}

/** Removes permissions from a role; returns how many it held. */
export async function revokePermissions(db: Kysely<Database>, rid: number, permissions: string[]): Promise<number> {
  if (permissions.length === 0) return 0;
  const r = await db.deleteFrom('role_permission').where('rid', '=', rid).where('permission', 'in', permissions).executeTakeFirst();
  return Number(r.numDeletedRows ?? 0);
}

/** Accounts whose name or mail contains `text` (case-insensitively), by uid. */
export async function searchAccounts(db: Kysely<Database>, text: string, limit: number): Promise<Array<{ uid: number; name: string; mail: string; status: number }>> {
  const pattern = `%${text.toLowerCase()}%`; // % and _ in the text match as LIKE wildcards: a wider search, never a narrower one
  const rows = await db.selectFrom('users').select(['uid', 'name', 'mail', 'status']).where('uid', '>', 0)
    .where((eb) => eb.or([eb(eb.fn('lower', ['name']), 'like', pattern), eb(eb.fn('lower', ['mail']), 'like', pattern)]))
    .orderBy('uid').limit(limit).execute();
  return rows.map((r) => ({ uid: Number(r.uid), name: r.name, mail: r.mail, status: Number(r.status) }));
}
