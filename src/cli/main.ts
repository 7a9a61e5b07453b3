import { Command } from 'commander';
import { ConfigError } from '../config/load-config.js';
import { loadConfig } from '../config/load-config.js';
import { openDatabase } from '../storage/database.js';
import { migrateToLatest } from '../storage/migrate.js';
import { registerBridgeCommands } from './commands/bridge.js';
import { registerClientCommands } from './commands/client.js';
import { registerMailCommands } from './commands/mail.js';
import { registerMigrateCommand } from './commands/migrate.js';
import { registerServeCommand } from './commands/serve.js';
import { registerUserCommands } from './commands/user.js';
import { registerImportCommands } from './commands/import.js';
import { registerVariableCommands } from './commands/variable.js';
import { registerBackupCommand } from './commands/backup.js';
import { registerConfigCommands } from './commands/config.js';
import { registerFloodCommands } from './commands/flood.js';
import { registerRoleCommands } from './commands/role.js';
import { registerSessionCommands } from './commands/session.js';

/** Builds the `gatehouse` command line. */
export function buildProgram(): Command {
  const program = new Command();
  program.name('gatehouse')
    .description('Account and session server speaking the Drupal 7 Services 3.x REST protocol')
    .showHelpAfterError();
  registerServeCommand(program);
  registerMigrateCommand(program);
  registerConfigCommands(program);
  registerBackupCommand(program);
  registerUserCommands(program);
  registerVariableCommands(program);
  registerRoleCommands(program);
  registerFloodCommands(program);
  registerSessionCommands(program);
  registerImportCommands(program);
  registerMailCommands(program, async () => {
    const handle = await openDatabase(loadConfig().databaseUrl);
    await migrateToLatest(handle.db, handle.dialect);
    return handle;
  });
  registerClientCommands(program);
  registerBridgeCommands(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (err) {
    if (err instanceof ConfigError) { console.error(err.message); process.exit(2); }
    throw err;
  }
}
