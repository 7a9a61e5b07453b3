import type { Command } from 'commander';
import { loadConfig } from '../../config/load-config.js';
import { runServer } from '../../server.js';

export function registerServeCommand(program: Command): void {
  program.command('serve')
    .description('start the HTTP server (migrates the database first; creates the first admin on an empty site)')
    .option('--port <port>', 'port to listen on (GATEHOUSE_PORT)')
    .option('--host <host>', 'address to listen on (GATEHOUSE_HOST)')
    .option('--workers <n>', 'processes sharing the port (node:cluster); SQLite works too (WAL, one writer at a time), PostgreSQL is the database for real load', '1')
    .action(async (opts: { port?: string; host?: string; workers: string }) => {
      const overrides: Record<string, unknown> = {};
      if (opts.port !== undefined) overrides.port = Number(opts.port);
      if (opts.host !== undefined) overrides.host = opts.host;
      const config = loadConfig({ overrides });
      await runServer(config, { workers: Number(opts.workers) });
    });
}
