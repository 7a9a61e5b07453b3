import type { Command } from 'commander';
import { loadConfig } from '../../config/load-config.js';
import { effectiveSetting, effectiveSettings } from '../../core/settings/effective-settings.js';
import { openGatehouse } from '../../gatehouse.js';
import { AccountAdmin } from '../../core/accounts/account-admin.js';
import type { VariableRepository } from '../../core/ports.js';

/**
 * Site settings (Drupal variables). `get` and `list` show what is in effect: the database (what
 * system/set_variable changes) over the configuration (file, GATEHOUSE_VARIABLE_*) over Drupal 7's defaults.
 */
export function registerVariableCommands(program: Command): void {
  const variable = program.command('variable').description('site settings: what is in effect, where it comes from; change them in the database');
  const run = async (fn: (v: VariableRepository, configured: Readonly<Record<string, unknown>>, audited: (detail: string) => Promise<void>) => Promise<void>) => {
    const config = loadConfig();
    const g = await openGatehouse(config);
    const audited = (detail: string) => new AccountAdmin(g.core).event('settings_change', null, detail);
    try { await fn(g.store.variables, config.siteDefaults, audited); } finally { await g.close(); }
  };
  variable.command('get <name>').description('print the value in effect as JSON (--json: with its default and source)')
    .option('--json', 'print {name, value, default, source}')
    .action((name: string, o: { json?: boolean }) => run(async (v, configured) => {
      const setting = effectiveSetting(name, await v.all(), configured);
      console.log(JSON.stringify(o.json ? setting : setting.value, null, o.json ? 2 : undefined));
    }));
  variable.command('set <name> <json>').description('store a setting in the database (a JSON value; plain text is taken as a string)')
    .option('--json', 'print the setting now in effect as JSON')
    .action((name: string, json: string, o: { json?: boolean }) => run(async (v, configured, audited) => {
      let value: unknown;
      try { value = JSON.parse(json); } catch { value = json; }
      await v.set(name, value);
      await audited(`set ${name}`);
      if (o.json) console.log(JSON.stringify(effectiveSetting(name, await v.all(), configured), null, 2));
    }));
  variable.command('delete <name>').description('remove a setting from the database (the configuration or default applies again)')
    .option('--json', 'print the setting now in effect as JSON')
    .action((name: string, o: { json?: boolean }) => run(async (v, configured, audited) => {
      await v.delete(name);
      await audited(`deleted ${name}`);
      if (o.json) console.log(JSON.stringify(effectiveSetting(name, await v.all(), configured), null, 2));
    }));
  variable.command('list').description('every setting in effect with its default and source (database, configuration, default)')
    .option('--json', 'print JSON [{name, value, default, source}]')
    .option('--stored', 'only the settings stored in the database')
    .action((o: { json?: boolean; stored?: boolean }) => run(async (v, configured) => {
      const rows = effectiveSettings(await v.all(), configured).filter((s) => !o.stored || s.source === 'database');
      if (o.json) { console.log(JSON.stringify(rows, null, 2)); return; }
      const width = Math.max(...rows.map((r) => r.name.length));
      for (const r of rows) {
        const differs = r.source !== 'default' ? `   (default ${short(r.default)})` : '';
        console.log(`${r.name.padEnd(width)}  ${short(r.value)}  [${r.source}]${differs}`);
      }
    }));
}

const short = (v: unknown): string => { const s = JSON.stringify(v) ?? 'null'; return s.length > 60 ? `${s.slice(0, 57)}…` : s; };
