/** The real server over an imported database, on a fixed clock (imported timestamps never age in a test). */
import type { Config } from '../../../src/config/config.js';
import { loadConfig } from '../../../src/config/load-config.js';
import { createFastTestHasher } from '../../../src/core/passwords/password-hasher.js';
import { createServer } from '../../../src/gatehouse.js';

export interface ImportedServer {
  url: string;
  server: Awaited<ReturnType<typeof createServer>>;
  close(): Promise<void>;
}

export async function startImportedServer(databaseUrl: string, now: number, config: Partial<Config> = {}): Promise<ImportedServer> {
  const cfg = loadConfig({ env: {}, overrides: { host: '127.0.0.1', port: 0, databaseUrl, logLevel: 'silent', mailWorker: false, ...config } });
  const server = await createServer(cfg, { hasher: createFastTestHasher(), logger: false, clock: { now: () => now } });
  await server.app.listen({ host: '127.0.0.1', port: 0 });
  const address = server.app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}`, server, close: () => server.close() };
}
