import type { Command } from 'commander';
import { loadConfig } from '../../config/load-config.js';
import { openGatehouse } from '../../gatehouse.js';

/** Site settings in the database (what system/set_variable changes); they win over file/env defaults. */
export function registerVariableCommands(program: Command): void {
  const variable = program.command('variable').description('read and change site settings stored in the database');
  const run = async (fn: (v: import('../../core/ports.js').VariableRepository) => Promise<void>) => {
    const g = await openGatehouse(loadConfig());
    try { await fn(g.store.variables); } finally { await g.close(); }
  };
  variable.command('get <name>').description('print a setting as JSON')
    .action((name: string) => run(async (v) => { console.log(JSON.stringify(await v.get(name) ?? null)); }));
  variable.command('set <name> <json>').description('set a setting (a JSON value; plain text is taken as a string)')
    .action((name: string, json: string) => run(async (v) => {
      let value: unknown;
      try { value = JSON.parse(json); } catch { value = json; }
      await v.set(name, value);
    }));
  variable.command('delete <name>').description('remove a setting (the default applies again)')
    .action((name: string) => run((v) => v.delete(name)));
  variable.command('list').description('print every stored setting')
    .action(() => run(async (v) => { console.log(JSON.stringify(await v.all(), null, 2)); }));
}
