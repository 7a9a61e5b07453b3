import { CONFIG_PROPERTIES, type SchemaNode } from './config-schema.js';
import type { Config } from './config.js';

const MASK = '***';

/** A URL with its password (or a plain secret) replaced by `***`. */
export function maskSecret(value: unknown): unknown {
  if (typeof value !== 'string' || value === '') return value;
  const url = /^([a-z][a-z0-9+.-]*:\/\/[^:/@]*):[^@/]*@/i.exec(value);
  if (url) return value.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*):[^@/]*@/i, `$1:${MASK}@`);
  return /^[a-z][a-z0-9+.-]*:/i.test(value) ? value : MASK;
}

/** The configuration with every `x-secret` key of the schema masked (what `gatehouse config print` shows). */
export function maskedConfig(config: Config): Record<string, unknown> {
  return maskNode(config, { type: 'object', properties: CONFIG_PROPERTIES as Record<string, SchemaNode> }) as Record<string, unknown>;
}

function maskNode(value: unknown, node: SchemaNode): unknown {
  if (node['x-secret']) return maskSecret(value);
  if (node.items && Array.isArray(value)) return value.map((v) => maskNode(v, node.items as SchemaNode));
  if (node.properties && value && typeof value === 'object' && !Array.isArray(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, node.properties?.[k] ? maskNode(v, node.properties[k]) : v]));
  }
  return value;
}
