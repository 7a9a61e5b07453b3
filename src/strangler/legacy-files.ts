import type { ManagedFile, NewManagedFile } from '../core/fields/managed-file.js';
import type { LegacyDatabase } from './legacy-database.js';

const COLUMNS = ['uid', 'filename', 'uri', 'filemime', 'filesize', 'status', 'timestamp'] as const;

/**
 * User pictures in the legacy `file_managed` and `file_usage` tables, written as Drupal writes them: the
 * upload first as a temporary row (file_save_upload: Drupal's cron removes it if nothing claims it), then made
 * permanent and counted as used by the account (user_save: file_save, file_usage_add('user', 'user', uid)).
 */
export class LegacyFiles {
  constructor(private readonly db: LegacyDatabase) {}

  /** Inserts `file` as a temporary row under Drupal's own fid sequence; returns the fid. */
  async insertTemporary(file: NewManagedFile): Promise<number> {
    const values = COLUMNS.map((c) => (c === 'status' ? 0 : file[c]));
    const statement = `INSERT INTO file_managed (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map(() => '?').join(', ')})`;
    if (this.db.dialect === 'postgres') {
      const rows = await this.db.execute('write a temporary file', `${statement} RETURNING fid`, values);
      return Number(rows[0].fid);
    }
    const rows = await this.db.execute('write a temporary file', statement, values);
    return Number((rows[0] as unknown as { insertId: number }).insertId);
  }

  /** Writes the row under its fid (inserted, or overwritten when there). */
  async save(file: ManagedFile): Promise<void> {
    const values = COLUMNS.map((c) => file[c]);
    await this.db.transaction(`write file ${file.fid}`, async (q) => {
      await q('DELETE FROM file_managed WHERE fid = ?', [file.fid]);
      await q(`INSERT INTO file_managed (fid, ${COLUMNS.join(', ')}) VALUES (?, ${COLUMNS.map(() => '?').join(', ')})`, [file.fid, ...values]);
    });
  }

  async update(fid: number, patch: Partial<Omit<ManagedFile, 'fid'>>): Promise<void> {
    const entries = Object.entries(patch).filter(([k, v]) => v !== undefined && (COLUMNS as readonly string[]).includes(k));
    if (entries.length === 0) return;
    await this.db.execute(`update file ${fid}`, `UPDATE file_managed SET ${entries.map(([k]) => `${k} = ?`).join(', ')} WHERE fid = ?`, [...entries.map(([, v]) => v), fid]);
  }

  /**
   * A picture dropped: file_usage_delete(…, 'user', 'user', …) then file_delete, which keeps the row while
   * another module still uses the file.
   */
  async delete(fid: number): Promise<void> {
    await this.db.transaction(`delete file ${fid}`, async (q) => {
      await q("DELETE FROM file_usage WHERE fid = ? AND module = 'user' AND type = 'user'", [fid]);
      const others = await q('SELECT fid FROM file_usage WHERE fid = ?', [fid]);
      if (others.length === 0) await q('DELETE FROM file_managed WHERE fid = ?', [fid]);
    });
  }

  /** file_usage_add($file, 'user', 'user', $uid) for a picture: counted once, however often the write is retried. */
  async usedAsPicture(fid: number, uid: number): Promise<void> {
    await this.db.transaction(`count file ${fid} as the picture of user ${uid}`, async (q) => {
      const found = await q("SELECT count FROM file_usage WHERE fid = ? AND module = 'user' AND type = 'user' AND id = ?", [fid, uid]);
      if (found.length === 0) await q("INSERT INTO file_usage (fid, module, type, id, count) VALUES (?, 'user', 'user', ?, 1)", [fid, uid]);
    });
  }
}
