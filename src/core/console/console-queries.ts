import type { SessionRecord } from '../model.js';

/**
 * What the operator's console and the "my sessions" page read (lists the Services protocol never needs):
 * the storage layer implements it over the local database. Every write still goes through the Store.
 */
export interface ConsoleQueries {
  /** Accounts newest first, keyset-paged on uid (`before`: the last uid of the previous page). */
  searchAccounts(q: AccountSearch): Promise<AccountRow[]>;
  /** rid → rids of each listed uid. */
  rolesOfMany(uids: number[]): Promise<Map<number, number[]>>;
  /** The sessions of one account (or, `uid` undefined, every logged-in session), most recently used first. */
  sessions(q: { uid?: number; limit: number; before?: number }): Promise<SessionRecord[]>;
  floodEvents(limit: number): Promise<FloodRow[]>;
  floodEvent(fid: number): Promise<FloodRow | undefined>;
  mails(q: { status?: string; limit: number }): Promise<MailRow[]>;
  mail(id: number): Promise<MailRow | undefined>;
  /** A dead or waiting mail goes back to the queue, due now, its attempts reset. False when there is no such row or it was sent. */
  retryMail(id: number, now: number): Promise<boolean>;
}

/** The people list's orders: newest account first (Drupal's "Member for"), by username, by last access (latest first). */
export const PEOPLE_SORTS = ['newest', 'name', 'access'] as const;
export type PeopleSort = typeof PEOPLE_SORTS[number];

export interface AccountSearch {
  /** Prefix of the name or the e-mail address, compared case-insensitively. */
  prefix?: string;
  rid?: number;
  status?: 0 | 1;
  /** Default `newest`. */
  sort?: PeopleSort;
  /** Keyset cursor, the last row of the previous page: its uid (`newest`), name key (`name`), or access and uid (`access`). */
  after?: { uid: number; nameKey?: string; access?: number };
  limit: number;
}

export interface AccountRow { uid: number; name: string; nameKey: string; mail: string; status: number; created: number; access: number }
export interface FloodRow { fid: number; event: string; identifier: string; timestamp: number; expiration: number }
export interface MailRow {
  id: number; mailId: string; to: string; subject: string; body: string; status: string; attempts: number;
  lastError: string | null; created: number; sentAt: number | null;
}

/** The cursor of the page after `row`, as a link or a command line carries it (`next` in `--after`, `?after=`). */
export function peopleCursor(sort: PeopleSort, row: AccountRow): string {
  if (sort === 'name') return row.nameKey;
  if (sort === 'access') return `${row.access}.${row.uid}`;
  return String(row.uid);
}

/** A cursor read back; undefined when it is not one of `sort`'s (a hand-edited link: the first page). */
export function parsePeopleCursor(sort: PeopleSort, text: string | undefined): AccountSearch['after'] {
  if (text === undefined || text === '') return undefined;
  if (sort === 'name') return { uid: 0, nameKey: text };
  const m = sort === 'access' ? /^(\d{1,15})\.(\d{1,15})$/.exec(text) : /^()(\d{1,15})$/.exec(text);
  if (!m) return undefined;
  return { uid: Number(m[2]), ...(sort === 'access' ? { access: Number(m[1]) } : {}) };
}

/** A sort named in a request or on the command line, else the default. */
export function peopleSortOf(text: string | undefined): PeopleSort {
  return (PEOPLE_SORTS as readonly string[]).includes(text ?? '') ? (text as PeopleSort) : 'newest';
}
