/**
 * Step `collation`: the source database's collation of `users.name` and `users.mail` becomes the site's
 * name/mail comparison rule (setting `gatehouse_collation`, core/collation): MySQL/MariaDB sources give their
 * column collations (`utf8mb3_general_ci` on a default Drupal 7 site: case- and accent-insensitive), PostgreSQL
 * sources `pgsql` (exact `=`, ILIKE), SQLite sources `sqlite`. Accounts Gatehouse already has are keyed again
 * under it; the users step keys the imported ones. Serve the site after the import (a running instance keeps
 * the rule it started with).
 */
import { COLLATION_VARIABLE, type Collation, collationFor, collationSetting, type SiteCollation, siteCollation } from '../../core/collation/collation.js';
import { ensureAccountKeys } from '../../storage/account-keys.js';
import { type ImportContext, type ImportStep, requireTable } from './step.js';
import { storeVariable } from './variables.js';

const EXTRA_KEY = 'collation';

export const collationStep: ImportStep = {
  name: 'collation',
  count: async () => 1,
  async run(ctx) {
    await requireTable(ctx, 'users');
    const found = await sourceCollations(ctx);
    const rules: SiteCollation = { name: ruleOf(ctx, 'name', found.name), mail: ruleOf(ctx, 'mail', found.mail) };
    const setting = collationSetting(rules);
    await storeVariable(ctx, COLLATION_VARIABLE, setting);
    const rekeyed = await ensureAccountKeys(ctx.target, rules);
    for (const clash of rekeyed?.nameClashes ?? []) {
      ctx.report.warn('users', `uid=${clash.uid}`, `name equals uid ${clash.holder}'s under ${rules.name.rule}: kept without a name key (rename one of them)`);
    }
    ctx.shared.extra.set(EXTRA_KEY, rules);
    ctx.progress.advance(1);
    ctx.report.note(`Names and mails compare as the source database did: ${COLLATION_VARIABLE} = ${JSON.stringify(setting)}.`);
  },
};

/** The rules the collation step chose (the default when the step did not run). */
export function importedCollation(ctx: ImportContext): SiteCollation {
  return (ctx.shared.extra.get(EXTRA_KEY) as SiteCollation | undefined) ?? siteCollation(undefined);
}

function ruleOf(ctx: ImportContext, column: 'name' | 'mail', found: string): Collation {
  const rule = collationFor(found);
  if (!rule) {
    ctx.report.error('users', `column ${column}`, `collation ${JSON.stringify(found)} is not one Gatehouse knows: compared case-insensitively (set ${COLLATION_VARIABLE} and restart)`);
    return siteCollation(undefined).name;
  }
  if (rule.approximate) ctx.report.note(`The source compares users.${column} with ${found}: Gatehouse approximates it (utf8_general_ci folding for _ci, exact for _cs; expansions such as ß = ss differ).`);
  return rule;
}

/** The collations of the source's `users.name` and `users.mail`, or the driver's rule for PostgreSQL and SQLite sources. */
async function sourceCollations(ctx: ImportContext): Promise<{ name: string; mail: string }> {
  if (ctx.source.kind !== 'mysql') {
    const rule = ctx.source.kind === 'postgres' ? 'pgsql' : 'sqlite';
    return { name: rule, mail: rule };
  }
  const columns = await ctx.source.query('SHOW FULL COLUMNS FROM {users}');
  const collationOf = (field: string) => String(columns.find((c) => c.Field === field)?.Collation ?? '');
  return { name: collationOf('name'), mail: collationOf('mail') };
}
