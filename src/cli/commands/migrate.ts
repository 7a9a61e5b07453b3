import type { Command } from 'commander';
import { loadConfig } from '../../config/load-config.js';
import { openGatehouse } from '../../gatehouse.js';

export function registerMigrateCommand(program: Command): void {
  program.command('migrate')
    .description('create or update the database schema (safe to run while other instances start)')
    .action(async () => {
      const gatehouse = await openGatehouse(loadConfig());
      await gatehouse.close();
      console.log('database is up to date');
    });
}
