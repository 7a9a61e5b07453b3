import type { Command } from 'commander';
import { loadConfig } from '../../config/load-config.js';
import { openGatehouse } from '../../gatehouse.js';
import { checkBridge } from '../../strangler/bridge-check.js';

/** `gatehouse bridge …`: strangler mode next to a legacy Drupal 7 site. */
export function registerBridgeCommands(program: Command): void {
  const bridge = program.command('bridge').description('strangler mode: the legacy Drupal 7 site behind Gatehouse');
  bridge.command('check')
    .description('verify the legacy database and origin are reachable and agree with Gatehouse (users, roles, cookie name, CSRF token)')
    .option('--client-host <host>', 'the Host header clients send to reach Gatehouse (default: the last one Gatehouse forwarded, else baseUrl\'s)')
    .action(async (o: { clientHost?: string }) => {
      const config = loadConfig();
      if (!config.legacy.databaseUrl) {
        console.error('bridge check: no legacy database configured (GATEHOUSE_LEGACY_DATABASE_URL)');
        process.exitCode = 2;
        return;
      }
      const g = await openGatehouse(config);
      try {
        const findings = await checkBridge(config, { ...g, legacy: g.legacy! }, { clientHost: o.clientHost });
        for (const f of findings) console.log(`${f.ok ? 'ok     ' : 'DIFFERS'}  ${f.check}: ${f.detail}`);
        const bad = findings.filter((f) => !f.ok).length;
        console.log(bad === 0 ? 'bridge check: everything agrees' : `bridge check: ${bad} difference(s)`);
        if (bad > 0) process.exitCode = 1;
      } finally {
        await g.close();
      }
    });
  bridge.command('retry')
    .description('deliver the writes waiting in bridge_outbox to the legacy database now')
    .action(async () => {
      const config = loadConfig();
      if (!config.legacy.databaseUrl) { console.error('bridge retry: no legacy database configured'); process.exitCode = 2; return; }
      const g = await openGatehouse(config);
      try {
        await g.legacy!.writeBack.drain(true);
        const s = await g.legacy!.writeBack.status();
        console.log(s.pending === 0 ? 'bridge retry: nothing left to deliver' : `bridge retry: ${s.pending} still waiting (${s.lastError ?? ''})`);
        if (s.pending > 0) process.exitCode = 1;
      } finally {
        await g.close();
      }
    });
}
