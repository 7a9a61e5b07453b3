/**
 * One-time links (password reset, account cancel) are keys to an account: once a mail has been handed to
 * the transport, or has failed for good, the outbox keeps its body with each link's hash replaced by
 * `REDACTED`. A redacted mail that is sent again (`gatehouse mail retry`) gets a fresh link for the same
 * account, made at sending time; an account that no longer exists leaves the placeholder.
 */
import type { Kysely } from 'kysely';
import type { Account } from '../core/model.js';
import { userPassRehash } from '../core/one-time-link.js';
import { loadSiteKeys, type SiteKeys } from '../core/settings/site-keys.js';
import { createStore } from '../storage/kysely-store.js';

export const REDACTED = 'REDACTED';

/** `user/reset/{uid}/{timestamp}/{hash}` and `user/{uid}/cancel/confirm/{timestamp}/{hash}`, clean or `?q=` form. */
const LINK = /(user\/reset\/(\d+)\/|user\/(\d+)\/cancel\/confirm\/)(\d+)\/([A-Za-z0-9_-]{20,})/g;
const REDACTED_LINK = new RegExp(`(user\\/reset\\/(\\d+)\\/|user\\/(\\d+)\\/cancel\\/confirm\\/)(\\d+)\\/${REDACTED}`, 'g');

export function redactLinks(body: string): string {
  return body.replace(LINK, (_all, head: string, _r, _c, ts: string) => `${head}${ts}/${REDACTED}`);
}

export function hasRedactedLinks(body: string): boolean {
  return body.search(REDACTED_LINK) >= 0;
}

/** Replaces each redacted link with a fresh one (timestamp `now`) for its account. */
export async function renewLinks(body: string, now: number, account: (uid: number) => Promise<Account | undefined>, keys: SiteKeys): Promise<string> {
  const uids = new Set<number>();
  for (const m of body.matchAll(REDACTED_LINK)) uids.add(Number(m[2] ?? m[3]));
  const accounts = new Map<number, Account | undefined>();
  for (const uid of uids) accounts.set(uid, await account(uid));
  return body.replace(REDACTED_LINK, (all, head: string, r?: string, c?: string) => {
    const a = accounts.get(Number(r ?? c));
    if (!a) return all;
    const hash = userPassRehash({ passHash: a.pass, timestamp: now, login: a.login, uid: a.uid, mail: a.mail, privateKey: keys.privateKey, hashSalt: keys.hashSalt });
    return `${head}${now}/${hash}`;
  });
}

/** Deletes sent mails older than `sentDays` and dead ones older than `deadDays` (0 = kept); returns how many. */
export async function purgeOutbox(db: Kysely<any>, now: number, o: { sentDays: number; deadDays: number }): Promise<number> {
  let n = 0;
  if (o.sentDays > 0) n += Number((await db.deleteFrom('outbox').where('status', '=', 'sent').where('sent_at', '<', now - o.sentDays * 86400).executeTakeFirst()).numDeletedRows ?? 0);
  if (o.deadDays > 0) n += Number((await db.deleteFrom('outbox').where('status', '=', 'dead').where('created', '<', now - o.deadDays * 86400).executeTakeFirst()).numDeletedRows ?? 0);
  return n;
}

/** The OutboxWorker's `renewLinks` over a Gatehouse database (the site keys read once, accounts per mail). */
export function linkRenewer(db: Kysely<any>, hashSalt: string | null): (body: string, now: number) => Promise<string> {
  const store = createStore(db);
  let keys: Promise<SiteKeys> | null = null;
  return async (body, now) => {
    keys ??= loadSiteKeys(store.variables, hashSalt);
    return renewLinks(body, now, (uid) => store.accounts.byUid(uid), await keys);
  };
}
