import cluster from 'node:cluster';
import type { Config } from './config/config.js';
import { AccountAdmin } from './core/accounts/account-admin.js';
import { createServer, openGatehouse } from './gatehouse.js';
import { OutboxWorker } from './mail/outbox-worker.js';
import { transportFromEnv } from './mail/transports/index.js';

/**
 * Runs the server until SIGTERM/SIGINT: on an empty site it first creates uid 1 and prints its password
 * once; shutdown stops accepting, lets requests in flight finish, then closes the database.
 */
export async function runServer(config: Config, o: { workers?: number } = {}): Promise<void> {
  const workers = Math.max(1, o.workers ?? 1);
  if (workers > 1 && cluster.isPrimary) {
    await announceFirstAdmin(config);
    for (let i = 0; i < workers; i++) cluster.fork();
    cluster.on('exit', (worker, code) => { if (code !== 0) console.error(`worker ${worker.process.pid} exited with ${code}`); });
    const stop = () => { for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGTERM'); };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
    return;
  }
  if (workers === 1) await announceFirstAdmin(config);
  const server = await createServer(config);
  const transport = config.mailWorker ? transportFromEnv(process.env, config.mailDir) : null;
  const worker = transport ? new OutboxWorker({ db: server.database.db, dialect: server.database.dialect, transport }) : null;
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    server.app.log.info({ signal }, 'shutting down');
    await server.app.close();
    await worker?.stop();
    await server.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
  await server.app.listen({ host: config.host, port: config.port });
  worker?.start();
}

async function announceFirstAdmin(config: Config): Promise<void> {
  const g = await openGatehouse(config);
  try {
    const created = await new AccountAdmin(g.core).ensureFirstAdmin(String(config.siteDefaults.site_mail ?? 'admin@example.com'));
    if (created) {
      console.log('');
      console.log('  First start: an administrator account was created. Its password is shown only now:');
      console.log(`    name:     ${created.name}`);
      console.log(`    password: ${created.password}`);
      console.log('  Change it with: gatehouse user set-password admin <new password>');
      console.log('');
    }
  } finally {
    await g.close();
  }
}
