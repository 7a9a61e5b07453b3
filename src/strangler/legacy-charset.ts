import type { FieldItem } from '../core/fields/field-definition.js';
import { domainError } from '../core/errors.js';
import type { Account } from '../core/model.js';
import type { LegacyDatabase } from './legacy-database.js';

/**
 * Whether the legacy site's text columns hold 4-byte UTF-8 (emoji and everything beyond U+FFFF). Drupal 7
 * creates its MySQL tables in `utf8` (utf8mb3) unless the site opted into utf8mb4: such a column refuses
 * those characters, and Drupal itself answers the request with a database error (a 500). In strangler
 * mode the write-back would fail the same way, after Gatehouse had stored the change: so the change is
 * refused up front (406, see textBeyondLegacyCharset) and nothing is written on either side.
 */
export class LegacyCharset {
  private known: boolean | null = null;

  constructor(private readonly db: Pick<LegacyDatabase, 'execute'>) {}

  /**
   * Reads the charset of `users.name` (the column every user write touches) once it is known; until the
   * legacy database answers, the careful answer: no 4-byte text.
   */
  async storesFourByteText(): Promise<boolean> {
    if (this.known !== null) return this.known;
    try {
      const rows = await this.db.execute('read the users.name charset',
        "SELECT CHARACTER_SET_NAME AS charset FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'users' AND COLUMN_NAME = 'name'");
      const charset = String(rows[0]?.charset ?? '').toLowerCase();
      this.known = charset === 'utf8mb4' || charset.startsWith('utf16') || charset.startsWith('utf32');
      return this.known;
    } catch {
      return false;
    }
  }
}

/** Characters a utf8mb3 column cannot hold: beyond the Basic Multilingual Plane (a surrogate pair in JS). */
const BEYOND_BMP = /[\uD800-\uDBFF][\uDC00-\uDFFF]/;

/** Account columns stored as text on the legacy site (`pass` holds a hash, `data` is a blob). */
const TEXT_COLUMNS = ['name', 'mail', 'init', 'signature', 'theme', 'timezone', 'language'] as const;

/** The first text column of an account (or part of one) with characters a utf8mb3 column cannot hold. */
export function accountTextBeyondBmp(account: Partial<Account>): string | null {
  for (const column of TEXT_COLUMNS) {
    const v = account[column];
    if (typeof v === 'string' && BEYOND_BMP.test(v)) return column;
  }
  return null;
}

/** Whether a field's items hold such characters. */
export const itemsBeyondBmp = (items: FieldItem[]): boolean =>
  items.some((item) => Object.values(item).some((v) => typeof v === 'string' && BEYOND_BMP.test(v)));

/** The 406 refusing a value the legacy site cannot store. */
export const textBeyondLegacyCharset = (field: string) => domainError('text_beyond_legacy_charset', { field });
