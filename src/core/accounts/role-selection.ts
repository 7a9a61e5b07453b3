import { ANONYMOUS_RID, AUTHENTICATED_RID } from '../model.js';

/**
 * Reads a `roles` checkbox value as Drupal's form does: a map (or list) whose non-empty values must each
 * be an assignable rid. Returns the selected rids, or null for "An illegal choice has been detected".
 */
export function parseRoleSelection(value: unknown, existing: number[]): number[] | null {
  if (value === null || value === undefined || value === '') return [];
  if (typeof value !== 'object') return null;
  const options = new Set(existing.filter((rid) => rid !== ANONYMOUS_RID && rid !== AUTHENTICATED_RID).map(String));
  const selected: number[] = [];
  for (const v of Object.values(value as Record<string, unknown>)) {
    if (v === 0 || v === '0' || v === '' || v === false || v === null) continue;
    const rid = String(v);
    if (rid === String(AUTHENTICATED_RID)) continue;
    if (!options.has(rid)) return null;
    selected.push(Number(rid));
  }
  return selected;
}

/** Services' update conversion: keys of non-empty entries become the selection (rid → rid). */
export function roleKeysOf(value: unknown): number[] {
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => !(v === 0 || v === '0' || v === '' || v === false || v === null))
    .map(([k]) => Number(k)).filter((rid) => Number.isInteger(rid) && rid !== AUTHENTICATED_RID);
}
