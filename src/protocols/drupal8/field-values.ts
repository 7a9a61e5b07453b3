import { badRequest, Drupal8HttpError } from './http-error.js';

/**
 * Request bodies of this dialect: JSON (`_format=json`), an object of credentials, or an entity in the
 * field-list shape `{"name":[{"value":"bob"}]}` (also accepted: `{"name":{"value":"bob"}}`, `{"name":"bob"}`).
 */
export type FieldItems = Array<Record<string, unknown>>;

/** The decoded body; null for an empty one. A body that does not decode is a 400 (Symfony's decoder text). */
export function decodeJsonBody(body: unknown): unknown {
  const text = Buffer.isBuffer(body) ? body.toString('utf8') : typeof body === 'string' ? body : '';
  if (text.trim() === '') return null;
  try { return JSON.parse(text); } catch { throw badRequest('Syntax error'); }
}

/** A credentials object (login, password); a body that is not an object has no credentials. */
export function credentials(decoded: unknown): Record<string, unknown> {
  return decoded !== null && typeof decoded === 'object' && !Array.isArray(decoded) ? (decoded as Record<string, unknown>) : {};
}

/** An entity body: field name → its items (each an object of properties). */
export function entityFields(decoded: unknown): Map<string, FieldItems> {
  const fields = new Map<string, FieldItems>();
  if (decoded === null || typeof decoded !== 'object' || Array.isArray(decoded)) return fields;
  for (const [name, raw] of Object.entries(decoded as Record<string, unknown>)) fields.set(name, itemsOf(name, raw));
  return fields;
}

function itemsOf(name: string, raw: unknown): FieldItems {
  const list = Array.isArray(raw) ? raw : [raw];
  return list.map((item) => {
    if (item !== null && typeof item === 'object' && !Array.isArray(item)) return item as Record<string, unknown>;
    if (item === null || typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean') return { value: item };
    throw new Drupal8HttpError(422, `Invalid value for field "${name}".`);
  });
}

/** The main property of a field's first item (`value`, or `target_id` for references). */
export function firstValue(items: FieldItems | undefined, property = 'value'): unknown {
  return items?.[0]?.[property];
}
