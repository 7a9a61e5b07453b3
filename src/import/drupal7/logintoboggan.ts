/**
 * Step `logintoboggan`: whether the site ran LoginToboggan (its `system` row, type module, status 1) and, when it
 * did, its settings (`logintoboggan_*` variables: login with e-mail, confirm e-mail, minimum password length,
 * …). Stored as the site setting `gatehouse_logintoboggan` (1/0) beside the module's own variables, for the
 * registration rule (core/accounts/logintoboggan.ts) and the HTML login form. A disabled module's variables
 * are left out: they did nothing on the site.
 */
import { LOGINTOBOGGAN_ENABLED } from '../../core/accounts/logintoboggan.js';
import type { ImportStep } from './step.js';
import { storeVariable } from './variables.js';

const PREFIX = 'logintoboggan_';

export const logintobogganStep: ImportStep = {
  name: 'logintoboggan',
  count: async () => 1,
  async run(ctx) {
    ctx.progress.advance(1);
    const enabled = (await ctx.source.hasTable('system'))
      && (await ctx.source.query("SELECT status FROM {system} WHERE name = 'logintoboggan' AND type = 'module'")).some((r) => Number(r.status) === 1);
    await storeVariable(ctx, LOGINTOBOGGAN_ENABLED, enabled ? 1 : 0);
    if (!enabled) {
      const stale = await ctx.target.deleteFrom('variable').where('name', 'like', `${PREFIX}%`).executeTakeFirst();
      if (Number(stale.numDeletedRows) > 0) ctx.report.count('variable', 'removed');
      return;
    }
    const names: string[] = [];
    for (const [name, value] of ctx.shared.variables) {
      if (!name.startsWith(PREFIX)) continue;
      await storeVariable(ctx, name, value);
      names.push(name);
    }
    ctx.report.note(`LoginToboggan was enabled: ${LOGINTOBOGGAN_ENABLED} = 1 and its settings imported (${names.join(', ') || 'none set'}).`);
  },
};
