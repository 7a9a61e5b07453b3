/**
 * Step `collation`: the source database's collation of `users.name` becomes the site's name/mail comparison
 * rule (setting `gatehouse_collation`, core/collation): MySQL/MariaDB sources give their column collation
 * (`utf8mb3_general_ci` on a default Drupal 7 site: case- and accent-insensitive), PostgreSQL sources `pgsql`
 * (exact `=`, ILIKE), SQLite sources `sqlite`. Accounts Gatehouse already has are keyed again under it; the
 * users step keys the imported ones. Serve the site after the import (a running instance keeps its rule).
 */
import { COLLATION_VARIABLE, type Collation, collationFor, siteCollation } from '../../core/collation/collation.js';
import { ensureAccountKeys } from '../../storage/account-keys.js';
import { type ImportContext, type ImportStep, requireTable } from './step.js';
import { storeVariable } from './variables.js';

const EXTRA_KEY = 'collation';

export const collationStep: ImportStep = {
  name: 'collation',
  count: async () => 1,
  async run(ctx) {
    await requireTable(ctx, 'users');
    const found = await sourceCollation(ctx);
    let collation = collationFor(found);
    if (!collation) {
      ctx.report.error('users', 'column name', `collation ${JSON.stringify(found)} is not one Gatehouse knows: names and mails compare case-insensitively (set ${COLLATION_VARIABLE} and re-run)`);
      collation = siteCollation(undefined);
    } else if (collation.approximate) {
      ctx.report.note(`The source compares names with ${found}: Gatehouse approximates it (utf8_general_ci folding for _ci, exact for _cs); expansions such as ß = ss differ.`);
    }
    await storeVariable(ctx, COLLATION_VARIABLE, collation.name);
    const rekeyed = await ensureAccountKeys(ctx.target, collation);
    for (const clash of rekeyed?.nameClashes ?? []) {
      ctx.report.warn('users', `uid=${clash.uid}`, `name equals uid ${clash.holder}'s under ${collation.name}: kept without a name key (rename one of them)`);
    }
    ctx.shared.extra.set(EXTRA_KEY, collation);
    ctx.progress.advance(1);
    ctx.report.note(`Names and mails compare as the source database did: ${COLLATION_VARIABLE} = ${collation.name}.`);
  },
};

/** The rule the collation step chose (the site's current one when the step did not run). */
export function importedCollation(ctx: ImportContext): Collation {
  return (ctx.shared.extra.get(EXTRA_KEY) as Collation | undefined) ?? siteCollation(undefined);
}

/** The collation of the source's `users.name` column, or the driver's name for PostgreSQL and SQLite sources. */
async function sourceCollation(ctx: ImportContext): Promise<string> {
  if (ctx.source.kind === 'postgres') return 'pgsql';
  if (ctx.source.kind === 'sqlite') return 'sqlite';
  const columns = await ctx.source.query('SHOW FULL COLUMNS FROM {users}');
  const collationOf = (field: string) => String(columns.find((c) => c.Field === field)?.Collation ?? '');
  const name = collationOf('name');
  const mail = collationOf('mail');
  if (mail !== '' && mail !== name) ctx.report.warn('users', 'column mail', `mail is compared with ${mail}, name with ${name}: Gatehouse compares both with ${name}`);
  return name;
}
