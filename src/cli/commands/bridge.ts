import type { Command } from 'commander';
import type { Config } from '../../config/config.js';
import { loadConfig } from '../../config/load-config.js';
import { type Gatehouse, openGatehouse } from '../../gatehouse.js';
import { AccountAdmin } from '../../core/accounts/account-admin.js';
import { checkBridge } from '../../strangler/bridge-check.js';
import { syncFromLegacy } from '../../strangler/bridge-sync.js';
import type { LegacyLink } from '../../strangler/legacy-link.js';

/** Runs a bridge command over the configured Gatehouse and legacy database (exit code 2 without one). */
function bridged(name: string, fn: (config: Config, g: Gatehouse & { legacy: LegacyLink }) => Promise<void>): () => Promise<void> {
  return async () => {
    const config = loadConfig();
    if (!config.legacy.databaseUrl) {
      console.error(`bridge ${name}: no legacy database configured (GATEHOUSE_LEGACY_DATABASE_URL)`);
      process.exitCode = 2;
      return;
    }
    const g = await openGatehouse(config);
    try {
      await fn(config, { ...g, legacy: g.legacy! });
    } finally {
      await g.close();
    }
  };
}

/** `gatehouse bridge …`: strangler mode next to a legacy Drupal 7 site. */
export function registerBridgeCommands(program: Command): void {
  const bridge = program.command('bridge').description('strangler mode: the legacy Drupal 7 site behind Gatehouse');
  bridge.command('check')
    .description('verify the legacy database and origin are reachable and agree with Gatehouse (users, roles, cookie name, CSRF token)')
    .option('--client-host <host>', 'the Host header clients send to reach Gatehouse (default: the last one Gatehouse forwarded, else baseUrl\'s)')
    .action((o: { clientHost?: string }) => bridged('check', async (config, g) => {
      const findings = await checkBridge(config, g, { clientHost: o.clientHost });
      for (const f of findings) console.log(`${f.ok ? 'ok     ' : 'DIFFERS'}  ${f.check}: ${f.detail}`);
      const bad = findings.filter((f) => !f.ok).length;
      console.log(bad === 0 ? 'bridge check: everything agrees' : `bridge check: ${bad} difference(s)`);
      if (bad > 0) process.exitCode = 1;
    })());
  bridge.command('sync')
    .description('final sync: deliver every pending write-back, then read every legacy account into Gatehouse (see docs/strangler.md, "Ending the migration")')
    .action(bridged('sync', async (_config, g) => {
      const report = await syncFromLegacy(g);
      for (const line of report.lines) console.log(line);
      console.log(report.ok ? 'bridge sync: done' : 'bridge sync: incomplete');
      if (!report.ok) process.exitCode = 1;
    }));
  bridge.command('retry')
    .description('deliver the writes waiting in bridge_outbox to the legacy database now')
    .action(bridged('retry', async (_config, g) => {
      await g.legacy.writeBack.drain(true);
      const s = await g.legacy.writeBack.status();
      await new AccountAdmin(g.core).event('write_back_retry', null, `${s.pending} still waiting`);
      console.log(s.pending === 0 ? 'bridge retry: nothing left to deliver' : `bridge retry: ${s.pending} still waiting (${s.lastError ?? ''})`);
      if (s.pending > 0) process.exitCode = 1;
    }));
}
