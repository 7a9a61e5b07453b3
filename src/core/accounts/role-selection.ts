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

export const ILLEGAL_CHOICE = 'An illegal choice has been detected. Please contact the site administrator.';

/** PHP's empty() of a decoded body value. */
function phpEmpty(v: unknown): boolean {
  if (v === null || v === undefined || v === false || v === 0 || v === '' || v === '0') return true;
  return typeof v === 'object' && Object.keys(v as object).length === 0;
}

/**
 * Services' update conversion of `roles`: the keys of the non-empty entries become the form's checkbox
 * values. None at all (`{}`, `{"3": 0}`, a scalar) leaves the form without a value, so the account's roles
 * stay as they are: null. A list (`[3]`) has keys 0, 1, …
 */
export function checkedRoleKeys(value: unknown): string[] | null {
  if (value === null || typeof value !== 'object') return null;
  const keys = Object.entries(value as Record<string, unknown>).filter(([, v]) => !phpEmpty(v)).map(([k]) => k);
  return keys.length > 0 ? keys : null;
}

/** The checked keys as rids ('authenticated user' dropped), or null when one is not an assignable role. */
export function roleSelection(keys: string[], existing: number[]): number[] | null {
  const options = new Set(existing.filter((rid) => rid !== ANONYMOUS_RID && rid !== AUTHENTICATED_RID).map(String));
  const chosen = keys.filter((k) => k !== String(AUTHENTICATED_RID));
  return chosen.every((k) => options.has(k)) ? chosen.map(Number) : null;
}

/** Whether two lists of rids hold the same roles, whatever their order. */
export function sameRoleSet(a: readonly number[], b: readonly number[]): boolean {
  const sorted = (rids: readonly number[]) => [...new Set(rids)].sort((x, y) => x - y).join(',');
  return sorted(a) === sorted(b);
}
