/**
 * Step `sequences`: Drupal 7 hands out uids with db_next_id(), which remembers the uids of deleted accounts
 * too — in the `sequences` table on MySQL and SQLite, in the PostgreSQL sequence `sequences_value_seq` on
 * PostgreSQL (the table stays empty there). Gatehouse's next uid is moved past that value and past every
 * imported uid, so an account registered after the import never takes a uid the old site once gave out.
 * Never moves back.
 */
import { reserveUids } from '../../storage/account-repository.js';
import type { ImportStep } from './step.js';

const TABLE = 'sequences';
const PG_SEQUENCE = 'sequences_value_seq';

export const sequencesStep: ImportStep = {
  name: 'sequences',
  count: async () => 1,
  async run(ctx) {
    let value = 0;
    if (ctx.source.kind === 'postgres' && await ctx.source.hasTable(PG_SEQUENCE)) {
      const rows = await ctx.source.query(`SELECT last_value AS v FROM {${PG_SEQUENCE}}`);
      value = Number(rows[0]?.v ?? 0);
    } else if (await ctx.source.hasTable(TABLE)) {
      const rows = await ctx.source.query(`SELECT MAX(value) AS v FROM {${TABLE}}`);
      value = Number(rows[0]?.v ?? 0);
    } else {
      ctx.report.note(`no table "${TABLE}": uids go on after the largest imported one`);
    }
    await reserveUids(ctx.target, ctx.dialect, Number.isSafeInteger(value) ? value : 0);
    ctx.progress.advance(1);
  },
};
