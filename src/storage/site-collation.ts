import type { Kysely } from 'kysely';
import { COLLATION_VARIABLE, type SiteCollation, siteCollation } from '../core/collation/collation.js';
import { ensureAccountKeys } from './account-keys.js';
import type { Database } from './schema.js';

/**
 * The site's name/mail comparison rule at startup: the `gatehouse_collation` setting of the database (the
 * import sets it), else the deployment's site default, else lowercase. The stored keys are brought in line
 * with it (once, when it changed). A running instance keeps the rule it started with: restart after changing it.
 */
export async function siteCollationOf(db: Kysely<Database>, siteDefaults: Record<string, unknown>): Promise<SiteCollation> {
  const row = await db.selectFrom('variable').select('value').where('name', '=', COLLATION_VARIABLE).executeTakeFirst();
  const collation = siteCollation(row ? JSON.parse(row.value) : siteDefaults[COLLATION_VARIABLE]);
  await ensureAccountKeys(db, collation);
  return collation;
}
