/**
 * What an import did, table by table, and every row it could not take as it was: `error` = the row was not
 * imported (skipped), `warning` = the row was imported with a change or a caveat (see docs/import.md).
 */
export interface Tally {
  /** Rows new to Gatehouse. */
  imported: number;
  /** Rows Gatehouse already had (an earlier run) whose values changed. */
  updated: number;
  /** Rows Gatehouse already had with the same values. */
  unchanged: number;
  /** Rows Gatehouse had that the site no longer has (role permissions, role memberships), removed. */
  removed: number;
  /** Source rows not imported (an error says why, or a note for whole groups). */
  skipped: number;
}

export interface ImportIssue {
  severity: 'error' | 'warning';
  table: string;
  /** Which row: `uid=12`, `rid=4 permission=…`, … */
  row: string;
  reason: string;
}

export type TallyKind = keyof Tally;

export class ImportReport {
  readonly tallies = new Map<string, Tally>();
  readonly issues: ImportIssue[] = [];
  /** Facts the operator must act on (cookie name, missing hash salt, …). */
  readonly notes: string[] = [];
  dryRun = false;
  elapsedMs = 0;

  tally(table: string): Tally {
    let t = this.tallies.get(table);
    if (!t) { t = { imported: 0, updated: 0, unchanged: 0, removed: 0, skipped: 0 }; this.tallies.set(table, t); }
    return t;
  }

  count(table: string, kind: TallyKind, n = 1): void {
    this.tally(table)[kind] += n;
  }

  /** A row not imported. */
  error(table: string, row: string, reason: string): void {
    this.count(table, 'skipped');
    this.issues.push({ severity: 'error', table, row, reason });
  }

  /** A row imported with a change or a caveat. */
  warn(table: string, row: string, reason: string): void {
    this.issues.push({ severity: 'warning', table, row, reason });
  }

  note(text: string): void {
    this.notes.push(text);
  }

  get errors(): ImportIssue[] { return this.issues.filter((i) => i.severity === 'error'); }
  get warnings(): ImportIssue[] { return this.issues.filter((i) => i.severity === 'warning'); }

  /** Rows written (imported + updated) over every table. */
  get rowsWritten(): number {
    let n = 0;
    for (const t of this.tallies.values()) n += t.imported + t.updated;
    return n;
  }
}

/** The tally kind for a row Gatehouse may already hold: new, changed or the same. */
export function changeKind<T extends object>(before: T | undefined, after: T): TallyKind {
  if (before === undefined) return 'imported';
  for (const [k, v] of Object.entries(after)) {
    if ((before as Record<string, unknown>)[k] !== v) return 'updated';
  }
  return 'unchanged';
}
