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

export interface AccountSearch {
  /** Prefix of the name or the e-mail address, compared case-insensitively. */
  prefix?: string;
  rid?: number;
  status?: 0 | 1;
  before?: number;
  limit: number;
}

export interface AccountRow { uid: number; name: string; mail: string; status: number; created: number; access: number }
export interface FloodRow { fid: number; event: string; identifier: string; timestamp: number; expiration: number }
export interface MailRow {
  id: number; mailId: string; to: string; subject: string; body: string; status: string; attempts: number;
  lastError: string | null; created: number; sentAt: number | null;
}
