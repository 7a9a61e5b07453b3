import type { Actor } from '../../../core/model.js';
import { markPhpObject } from '../../../lib/php-values.js';
import { dbString, stripPrivate } from './user-object.js';

/** Index rows: raw columns as strings (NULL as null), no roles, a `uri`, private columns removed. */
export function indexRow(row: Record<string, unknown>, viewer: Actor, uri: (uid: string) => string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) out[k] = dbString(v);
  const uid = out.uid === undefined ? null : String(out.uid);
  if (uid !== null) out.uri = uri(uid);
  return markPhpObject(stripPrivate(out, viewer, uid === null ? -1 : Number(uid)));
}
