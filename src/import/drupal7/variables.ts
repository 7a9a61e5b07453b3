/**
 * Step `variables`: the site settings Gatehouse reads, from Drupal's `variable` table (PHP-serialized) into
 * Gatehouse's (JSON): registration and account settings, site name and mail, the account-mail texts
 * (`user_mail_*`), date formats, `drupal_private_key`; plus the settings.php hash salt when given. Every
 * variable is unserialized and left in `ctx.shared.variables` for later steps; the ones Gatehouse does not
 * use are not stored (counted as skipped, listed in a note).
 */
import { DRUPAL_SITE_DEFAULTS } from '../../config/config.js';
import { phpUnserialize } from '../../lib/php-serialize.js';
import { changeKind } from './report.js';
import { countRows, type ImportContext, type ImportStep, requireTable } from './step.js';

/** Variables Gatehouse reads besides DRUPAL_SITE_DEFAULTS' names. */
export const IMPORTED_VARIABLES: ReadonlySet<string> = new Set([
  ...Object.keys(DRUPAL_SITE_DEFAULTS),
  'drupal_private_key', 'site_slogan', 'site_default_country', 'anonymous', 'filter_fallback_format',
  'configurable_timezones', 'user_default_timezone', 'password_count_log2', 'user_admin_role',
  'user_picture_path', 'user_picture_default', 'user_picture_dimensions', 'user_picture_file_size',
  'user_picture_style', 'user_picture_guidelines', 'user_signatures', 'user_pictures',
]);

/** Families of variables Gatehouse reads by prefix. */
export const IMPORTED_VARIABLE_PREFIXES: readonly string[] = ['user_mail_', 'date_format_', 'user_failed_login_', 'services_'];

export function isImportedVariable(name: string): boolean {
  return IMPORTED_VARIABLES.has(name) || IMPORTED_VARIABLE_PREFIXES.some((p) => name.startsWith(p));
}

const TABLE = 'variable';

export const variablesStep: ImportStep = {
  name: 'variables',
  count: (ctx) => countRows(ctx, TABLE),
  async run(ctx) {
    await requireTable(ctx, TABLE);
    const rows = await ctx.source.query('SELECT name, value FROM {variable} ORDER BY name');
    const ignored: string[] = [];
    for (const row of rows) {
      const name = String(row.name);
      const text = String(row.value ?? '');
      let value: unknown;
      try {
        value = phpUnserialize(text);
      } catch (err) {
        if (isImportedVariable(name)) ctx.report.error(TABLE, `name=${name}`, `value does not unserialize (${(err as Error).message}); Gatehouse's default applies`);
        else { ctx.report.count(TABLE, 'skipped'); ignored.push(name); }
        continue;
      }
      ctx.shared.variables.set(name, value);
      if (!isImportedVariable(name)) { ctx.report.count(TABLE, 'skipped'); ignored.push(name); continue; }
      await storeVariable(ctx, name, value);
    }
    ctx.progress.advance(rows.length);
    if (ctx.options.hashSalt !== null) await storeVariable(ctx, 'drupal_hash_salt', ctx.options.hashSalt);
    else ctx.report.note('No --hash-salt given: Gatehouse keeps its own, so CSRF tokens apps cached and one-time login links of the old site are no longer valid (give settings.php\'s $drupal_hash_salt to keep them).');
    if (!ctx.shared.variables.has('drupal_private_key')) ctx.report.note('The site has no drupal_private_key variable: Gatehouse keeps its own, so cached CSRF tokens are no longer valid.');
    if (ignored.length > 0) ctx.report.note(`${ignored.length} variables Gatehouse does not use were left out (e.g. ${ignored.slice(0, 5).join(', ')}).`);
  },
};

/** Stores one site setting (JSON), counted as imported/updated/unchanged. */
export async function storeVariable(ctx: ImportContext, name: string, value: unknown): Promise<void> {
  const json = JSON.stringify(value ?? null);
  const before = await ctx.target.selectFrom('variable').select('value').where('name', '=', name).executeTakeFirst();
  const kind = changeKind(before, { value: json });
  ctx.report.count(TABLE, kind);
  if (kind === 'unchanged') return;
  await ctx.target.insertInto('variable').values({ name, value: json })
    .onConflict((oc) => oc.column('name').doUpdateSet({ value: json })).execute();
}
