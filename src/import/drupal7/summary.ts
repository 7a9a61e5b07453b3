/**
 * The summary an import prints: per table imported / updated / unchanged / removed / skipped, every error
 * (row not imported) and warning (row imported with a caveat) with its reason, the notes, and what to set so
 * the session cookie keeps the old site's name.
 */
import { sessionCookieName } from '../../core/crypto/cookie-name.js';
import type { ImportReport } from './report.js';

export interface CookieSetting {
  /** GATEHOUSE_BASE_URL (the old site's $base_url), if known. */
  baseUrl: string | null;
  /** GATEHOUSE_COOKIE_DOMAIN (the old site's $cookie_domain), if known. */
  cookieDomain: string | null;
}

/** The cookie names Gatehouse will use (plain HTTP and HTTPS) for a base URL / cookie domain. */
export function cookieNames(c: CookieSetting): { http: string; https: string } | null {
  if (!c.cookieDomain && !c.baseUrl) return null;
  const host = c.baseUrl ? c.baseUrl.replace(/^https?:\/\//, '').replace(/\/+$/, '') : '';
  const input = { host, basePath: '', cookieDomain: c.cookieDomain };
  return { http: sessionCookieName({ ...input, https: false }), https: sessionCookieName({ ...input, https: true }) };
}

export function cookieAdvice(c: CookieSetting): string[] {
  const lines = ['Session cookie: apps hold the old site\'s cookie, named after its $cookie_domain (settings.php) or, without one, its $base_url.'];
  const names = cookieNames(c);
  if (names === null) {
    lines.push('  Set GATEHOUSE_COOKIE_DOMAIN to the old $cookie_domain (e.g. .example.com), or GATEHOUSE_BASE_URL to the old $base_url (e.g. https://www.example.com),');
    lines.push('  then check the name with: gatehouse import drupal7 --cookie-domain … (or --base-url …) --dry-run');
    lines.push('  Links in mails: $base_url lives in settings.php, not in the database. Without GATEHOUSE_BASE_URL (or');
    lines.push('  GATEHOUSE_TRUSTED_HOSTS) only the listening host and localhost are answered (docs/security.md).');
    return lines;
  }
  if (c.cookieDomain) lines.push(`  GATEHOUSE_COOKIE_DOMAIN=${c.cookieDomain}`);
  if (c.baseUrl) lines.push(`  GATEHOUSE_BASE_URL=${c.baseUrl}`);
  lines.push(`  → cookie ${names.https} over HTTPS, ${names.http} over plain HTTP: it must equal the cookie name apps send today.`);
  return lines;
}

export function formatSummary(report: ImportReport, cookie: CookieSetting): string {
  const lines: string[] = [];
  lines.push(report.dryRun ? 'Drupal 7 import — DRY RUN: everything below was rolled back, nothing was written.' : 'Drupal 7 import — committed.');
  const head = ['table', 'imported', 'updated', 'unchanged', 'removed', 'skipped'];
  const rows = [...report.tallies.entries()].map(([t, v]) => [t, v.imported, v.updated, v.unchanged, v.removed, v.skipped].map(String));
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const fmt = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  lines.push(fmt(head), ...rows.map(fmt));
  const seconds = report.elapsedMs / 1000;
  lines.push(`${report.rowsWritten} rows written in ${seconds.toFixed(1)} s.`);
  const errors = report.errors;
  const warnings = report.warnings;
  lines.push(`Errors (rows not imported): ${errors.length}`);
  for (const e of errors) lines.push(`  ${e.table} ${e.row}: ${e.reason}`);
  lines.push(`Warnings (rows imported with a caveat): ${warnings.length}`);
  for (const w of warnings) lines.push(`  ${w.table} ${w.row}: ${w.reason}`);
  for (const n of report.notes) lines.push(`Note: ${n}`);
  lines.push(...cookieAdvice(cookie));
  if (!report.dryRun) lines.push('Restart Gatehouse so it reads the imported private key, hash salt and settings.');
  return lines.join('\n');
}
