import type { Command } from 'commander';
import { configSchema } from '../../config/config-schema.js';
import { loadConfig } from '../../config/load-config.js';
import { maskedConfig, maskSecret } from '../../config/mask-secrets.js';

/** `gatehouse config print|schema`: the configuration in effect (file + environment), secrets masked; the file's JSON Schema. */
export function registerConfigCommands(program: Command): void {
  const config = program.command('config').description('the configuration in effect (file GATEHOUSE_CONFIG + environment), its JSON Schema');
  config.command('print').description('the configuration in effect as JSON (a valid config file), passwords and salts masked; validation errors exit 2')
    .option('--json', 'print JSON (the default; accepted for symmetry with the other commands)')
    .action(() => {
      console.log(JSON.stringify(maskedConfig(loadConfig()), null, 2));
      const smtp = process.env.GATEHOUSE_SMTP_URL?.trim();
      process.stderr.write(smtp ? `mail: GATEHOUSE_SMTP_URL=${String(maskSecret(smtp))} (environment only)\n` : 'mail: GATEHOUSE_SMTP_URL not set: .eml files in mailDir\n');
    });
  config.command('schema').description('the JSON Schema of the configuration file (docs/config.schema.json)')
    .action(() => { console.log(JSON.stringify(configSchema(), null, 2)); });
}
