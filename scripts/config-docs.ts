// Regenerates docs/config.schema.json and the table in docs/configuration.md from src/config/config-schema.ts.
import fs from 'node:fs';
import { withConfigTable } from '../src/config/config-docs.js';
import { configSchema } from '../src/config/config-schema.js';

fs.writeFileSync('docs/config.schema.json', `${JSON.stringify(configSchema(), null, 2)}\n`);
fs.writeFileSync('docs/configuration.md', withConfigTable(fs.readFileSync('docs/configuration.md', 'utf8')));
console.log('docs/config.schema.json and docs/configuration.md regenerated');
