import { type Kysely, PostgresAdapter, sql } from 'kysely';
import type { ManagedFile, NewManagedFile } from '../core/fields/managed-file.js';
import type { FileRepository } from '../core/ports.js';
import type { Database } from './schema.js';

/** Drupal's file_managed rows (user pictures). */
export class KyselyFileRepository implements FileRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async byFid(fid: number): Promise<ManagedFile | undefined> {
    const row = await this.db.selectFrom('file_managed').selectAll().where('fid', '=', fid).executeTakeFirst();
    return row ? toFile(row) : undefined;
  }

  async insert(file: NewManagedFile): Promise<number> {
    if (file.fid === undefined) {
      const row = await this.db.insertInto('file_managed').values(file).returning('fid').executeTakeFirstOrThrow();
      return Number(row.fid);
    }
    await this.db.insertInto('file_managed').values(file as ManagedFile).execute();
    // PostgreSQL's identity sequence does not see an insert that names its key: move it past max(fid).
    if (this.db.getExecutor().adapter instanceof PostgresAdapter) {
      await sql`select setval(pg_get_serial_sequence('file_managed', 'fid'), (select max(fid) from file_managed))`.execute(this.db);
    }
    return file.fid;
  }

  async update(fid: number, patch: Partial<Omit<ManagedFile, 'fid'>>): Promise<void> {
    if (Object.keys(patch).length > 0) await this.db.updateTable('file_managed').set(patch).where('fid', '=', fid).execute();
  }

  async delete(fid: number): Promise<void> {
    await this.db.deleteFrom('file_managed').where('fid', '=', fid).execute();
  }
}

function toFile(r: Record<string, unknown>): ManagedFile {
  return {
    fid: Number(r.fid), uid: Number(r.uid), filename: String(r.filename), uri: String(r.uri), filemime: String(r.filemime),
    filesize: Number(r.filesize), status: Number(r.status), timestamp: Number(r.timestamp),
  };
}
