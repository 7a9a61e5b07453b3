/**
 * Runs a Drupal 7 import: every step (steps.ts) in one transaction on Gatehouse's side, so an import is
 * all-or-nothing — a failure (or `--dry-run`, which rolls back on purpose after a full run) leaves Gatehouse
 * as it was. Re-running updates what changed and never duplicates (every step upserts by Drupal's keys).
 * Gatehouse's database must be migrated and have its baseline (openImportTarget does both).
 */
import type { DatabaseHandle } from '../../storage/database.js';
import { type Progress, silentProgress } from './progress.js';
import { ImportReport } from './report.js';
import type { SourceDb } from './source.js';
import { DEFAULT_IMPORT_OPTIONS, type ImportContext, type ImportOptions, type ImportStep } from './step.js';
import { DRUPAL7_STEPS } from './steps.js';

export interface ImportRun {
  source: SourceDb;
  target: DatabaseHandle;
  options?: Partial<ImportOptions>;
  steps?: readonly ImportStep[];
  progress?: Progress;
}

class DryRunRollback extends Error {}

export async function importDrupal7(run: ImportRun): Promise<ImportReport> {
  const options: ImportOptions = { ...DEFAULT_IMPORT_OPTIONS, ...run.options };
  const report = new ImportReport();
  report.dryRun = options.dryRun;
  const progress = run.progress ?? silentProgress;
  const started = Date.now();
  try {
    await run.target.db.transaction().execute(async (trx) => {
      const ctx: ImportContext = {
        source: run.source, target: trx, dialect: run.target.dialect, options, report, progress,
        shared: { variables: new Map(), uids: new Set(), rids: new Set(), extra: new Map() },
      };
      for (const step of run.steps ?? DRUPAL7_STEPS) {
        progress.begin(step.name, await step.count(ctx));
        try { await step.run(ctx); } finally { progress.end(); }
      }
      if (options.dryRun) throw new DryRunRollback();
    });
  } catch (err) {
    if (!(err instanceof DryRunRollback)) throw err;
  }
  report.elapsedMs = Date.now() - started;
  return report;
}
