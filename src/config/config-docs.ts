/** The configuration reference generated from the schema: the table in docs/configuration.md. */
import { configSchema, type SchemaNode } from './config-schema.js';

export const TABLE_START = '<!-- config-table:start (generated from src/config/config-schema.ts: node --import tsx scripts/config-docs.ts) -->';
export const TABLE_END = '<!-- config-table:end -->';

export function configTable(): string {
  const rows: string[] = ['| File key | Environment | Type | Default | Meaning |', '|---|---|---|---|---|'];
  const walk = (props: Record<string, SchemaNode>, prefix: string) => {
    for (const [key, node] of Object.entries(props)) {
      if (key === '$schema') continue;
      const name = `${prefix}${key}`;
      const type = node.enum ? node.enum.map((v) => `\`${JSON.stringify(v)}\``).join(' \\| ') : [node.type ?? 'any'].flat().join(' \\| ') + (node.items?.type ? ` of ${node.items.type}` : '');
      const def = node.default === undefined || (typeof node.default === 'object' && node.default !== null && node.properties) ? '' : `\`${JSON.stringify(node.default)}\``;
      rows.push(`| \`${name}\` | ${node['x-env'] ? `\`${node['x-env']}\`` : ''} | ${type} | ${def.length > 60 ? 'see below' : def} | ${(node.description ?? '').replace(/\|/g, '\\|')} |`);
      if (node.type === 'object' && node.properties && key !== 'endpoints') walk(node.properties, `${name}.`);
    }
  };
  walk(configSchema().properties ?? {}, '');
  return [TABLE_START, ...rows, TABLE_END].join('\n');
}

/** The document with its table replaced by the generated one. */
export function withConfigTable(doc: string): string {
  const start = doc.indexOf(TABLE_START);
  const end = doc.indexOf(TABLE_END);
  if (start < 0 || end < 0) throw new Error('docs/configuration.md lacks the config-table markers');
  return doc.slice(0, start) + configTable() + doc.slice(end + TABLE_END.length);
}
