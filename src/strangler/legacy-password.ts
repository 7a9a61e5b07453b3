import type { Kysely } from 'kysely';
import type { Account } from '../core/model.js';
import type { AccountRepository } from '../core/ports.js';
import type { DialectName } from '../storage/database.js';
import { within } from './bounded.js';
import type { LegacyDatabase } from './legacy-database.js';

/** `bridge_legacy_pass`: the `users.pass` Gatehouse last delivered to the legacy database, per account. */
interface LegacyPassTable { uid: number; pass: string }
interface Tables { bridge_legacy_pass: LegacyPassTable }

/** Creates `bridge_legacy_pass` in Gatehouse's own database if it is not there yet. */
export async function ensureLegacyPassTable(db: Kysely<any>, dialect: DialectName): Promise<void> {
  await db.schema.createTable('bridge_legacy_pass').ifNotExists()
    .addColumn('uid', dialect === 'postgres' ? 'bigint' : 'integer', (c) => c.primaryKey())
    .addColumn('pass', 'text', (c) => c.notNull())
    .execute();
}

/**
 * "The legacy hash wins": while bridged, a password may also change on Drupal's own pages. At login the
 * legacy `users.pass` is read; when it differs from what Gatehouse last wrote there (or, for an account
 * Gatehouse never wrote a hash for, from the hash it holds), Drupal changed it: Gatehouse takes it over,
 * so the new password logs in and the old one no longer does. Nothing is decided while Gatehouse's own
 * writes are still on their way (the legacy row is older than them) or when the legacy database cannot be
 * read within its timeout (Gatehouse's hash stands).
 */
export class LegacyPasswords {
  private readonly db: Kysely<Tables>;

  constructor(db: Kysely<any>, private readonly legacy: LegacyDatabase, private readonly local: AccountRepository,
    private readonly writesPending: () => Promise<boolean>, private readonly timeoutMs: number) {
    this.db = db as Kysely<Tables>;
  }

  /** Records the hash just delivered to the legacy `users.pass` of `uid`. */
  async remember(uid: number, pass: string): Promise<void> {
    await this.db.deleteFrom('bridge_legacy_pass').where('uid', '=', uid).execute();
    await this.db.insertInto('bridge_legacy_pass').values({ uid, pass }).execute();
  }

  /** The account with the legacy hash when Drupal changed it since Gatehouse last wrote it. */
  async atLogin(account: Account): Promise<Account> {
    if (account.uid <= 0 || (await this.writesPending())) return account;
    let theirs: string;
    try {
      const rows = await within(this.timeoutMs, this.legacy.execute('read users.pass', 'SELECT pass FROM users WHERE uid = ?', [account.uid]));
      if (rows.length === 0) return account;
      theirs = String(rows[0].pass ?? '');
    } catch {
      return account;
    }
    const last = await this.db.selectFrom('bridge_legacy_pass').select('pass').where('uid', '=', account.uid).executeTakeFirst();
    if (theirs === (last?.pass ?? account.pass)) return account;
    if (theirs !== account.pass) await this.local.update(account.uid, { pass: theirs });
    await this.remember(account.uid, theirs);
    return { ...account, pass: theirs };
  }
}
