/**
 * The unit an import is made of. The orchestrator (import-drupal7.ts) runs the registered steps in order
 * (steps.ts) inside one transaction on Gatehouse's side; a step reads its tables from the source, writes
 * Gatehouse's tables through `ctx.target` and records what it did in `ctx.report`. Steps added later (user
 * fields, pictures, endpoints) only implement this interface and register themselves in steps.ts.
 */
import type { Kysely } from 'kysely';
import type { DialectName } from '../../storage/database.js';
import type { Database } from '../../storage/schema.js';
import type { Progress } from './progress.js';
import type { ImportReport } from './report.js';
import type { SourceDb } from './source.js';

export interface ImportOptions {
  /** settings.php `$drupal_hash_salt` (stored as variable `drupal_hash_salt`); null = keep Gatehouse's. */
  hashSalt: string | null;
  /** Run every step, report, then roll everything back. */
  dryRun: boolean;
  /** How `sessions.sid` is stored on the site: `auto` = from variable `hashed_session_ids_supported`. */
  sessionIds: 'auto' | 'hashed' | 'plain';
  /** Source rows read per query. */
  batchSize: number;
}

export const DEFAULT_IMPORT_OPTIONS: ImportOptions = { hashSalt: null, dryRun: false, sessionIds: 'auto', batchSize: 1000 };

/** What steps learn and later steps need. */
export interface SharedFacts {
  /** Every variable of the site, unserialized (values that did not unserialize are absent). */
  variables: Map<string, unknown>;
  /** uids present in Gatehouse after the users step (imported, updated or unchanged). */
  uids: Set<number>;
  /** rids present in Gatehouse after the roles step. */
  rids: Set<number>;
  /** Anything a step wants to leave for a later one (namespaced by step name). */
  extra: Map<string, unknown>;
}

export interface ImportContext {
  source: SourceDb;
  /** Gatehouse's database, inside the import's transaction. */
  target: Kysely<Database>;
  dialect: DialectName;
  options: ImportOptions;
  report: ImportReport;
  progress: Progress;
  shared: SharedFacts;
}

export interface ImportStep {
  /** Shown in the progress bar and the summary. */
  readonly name: string;
  /** Source rows the step will go through (the progress bar's total); 0 when unknown. */
  count(ctx: ImportContext): Promise<number>;
  run(ctx: ImportContext): Promise<void>;
}

/** The import cannot go on (a required table is missing, the source is unreadable): nothing is written. */
export class ImportError extends Error {}

/** SELECT COUNT(*) of a source table, 0 when the table is absent. */
export async function countRows(ctx: ImportContext, table: string): Promise<number> {
  if (!(await ctx.source.hasTable(table))) return 0;
  const rows = await ctx.source.query(`SELECT COUNT(*) AS n FROM {${table}}`);
  return Number(rows[0]?.n ?? 0);
}

/** Fails the import when a table Drupal 7 always has is missing (wrong database or prefix). */
export async function requireTable(ctx: ImportContext, table: string): Promise<void> {
  if (!(await ctx.source.hasTable(table))) {
    throw new ImportError(`the source has no table "${table}": is it a Drupal 7 database (and is --prefix right)?`);
  }
}

/** Splits a list into chunks of `size`. */
export function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
