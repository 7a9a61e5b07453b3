import type { Gatehouse } from '../gatehouse.js';
import type { LegacyLink } from './legacy-link.js';

export interface SyncReport {
  ok: boolean;
  /** What was done, one line each. */
  lines: string[];
}

/**
 * `gatehouse bridge sync`, the final sync before the bridge goes off (and the first one after a spell of
 * Drupal running alone): every write-back still owed is delivered to the legacy database first — nothing
 * is read back while Gatehouse's newer values wait — then every legacy account is read into Gatehouse the
 * way a login reads it (status, name, mail, roles, accounts created on Drupal; legacy-freshness.ts), with
 * the role definitions Drupal has and Gatehouse lacks.
 * Accounts Gatehouse has and the legacy site no longer has are listed, not deleted: `bridge check` shows them.
 */
export async function syncFromLegacy(g: Gatehouse & { legacy: LegacyLink }): Promise<SyncReport> {
  const { legacy } = g;
  const lines: string[] = [];
  try {
    await legacy.db.ping();
  } catch (err) {
    return { ok: false, lines: [`legacy database unreachable: ${(err as Error).message}`] };
  }
  await legacy.writeBack.drain(true);
  const owed = await legacy.writeBack.status();
  if (owed.pending > 0 || owed.dead > 0) {
    const why = owed.pending > 0 ? `${owed.pending} write-back(s) could not be delivered: ${owed.lastError ?? ''}` : `${owed.dead} refused write-back(s) in bridge_outbox (dead = 1): ${owed.deadError ?? ''}`;
    return { ok: false, lines: [`${why} — settle them (bridge check), then sync again; nothing was read back`] };
  }
  lines.push('write-backs: every change Gatehouse made is in the legacy database');
  const known = new Set((await g.store.roles.all()).map((r) => Number(r.rid)));
  const roles = await legacy.db.execute('read roles', 'SELECT rid, name, weight FROM role ORDER BY rid');
  for (const r of roles.filter((r) => !known.has(Number(r.rid)))) await g.store.roles.ensureRole({ rid: Number(r.rid), name: String(r.name), weight: Number(r.weight) });
  lines.push(`roles: ${roles.length} legacy role(s), every one in Gatehouse`);
  const theirs = await legacy.db.users();
  // A read through the bridged store brings the local copy up to date with the legacy row.
  for (const u of theirs) await g.store.accounts.byUid(u.uid);
  lines.push(`accounts: ${theirs.length} legacy account(s) read into Gatehouse`);
  const legacyUids = new Set(theirs.map((u) => u.uid));
  const ours = await g.store.accounts.list({ fields: ['uid', 'name'], conditions: [], orderBy: [{ column: 'uid', direction: 'ASC' }], offset: 0, limit: 1_000_000 });
  const onlyOurs = ours.filter((r) => Number(r.uid) > 0 && !legacyUids.has(Number(r.uid)));
  if (onlyOurs.length > 0) {
    lines.push(`only in Gatehouse (deleted on the legacy site?): ${onlyOurs.map((r) => `uid ${String(r.uid)} (${String(r.name)})`).join(', ')}`);
    return { ok: false, lines };
  }
  return { ok: true, lines };
}
