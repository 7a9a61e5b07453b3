/**
 * Who holds an outbox claim. Each worker claims as `host:pid:boot` (boot: random, per process start). At
 * start a worker hands back the claims of workers on its own host that are gone — a process killed with
 * `kill -9` mid-send never released its rows, which would otherwise wait for the lease (10 minutes). A claim
 * is a dead worker's when its process no longer exists, or when its pid is this very process's (a restarted
 * container reuses pid 1) under another boot id. Claims from other hosts are left to their lease.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { type Kysely, sql } from 'kysely';

const BOOT = randomBytes(6).toString('hex');

/** This process's claimant id. */
export function claimantId(): string {
  return `${os.hostname()}:${process.pid}:${BOOT}`;
}

function isDead(claimant: string): boolean {
  const m = /^(.*):(\d+):([0-9a-f]+)$/.exec(claimant);
  if (!m || m[1] !== os.hostname()) return false;
  const pid = Number(m[2]);
  if (pid === process.pid) return m[3] !== BOOT;
  try {
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** Releases the pending rows claimed by dead workers of this host (due at once, the attempt not counted); returns how many. */
export async function reclaimDeadClaims(db: Kysely<any>, now: number): Promise<number> {
  const holders = await db.selectFrom('outbox').select('claimed_by').distinct()
    .where('status', '=', 'pending').where('locked_until', '>', now).where('claimed_by', 'is not', null).execute() as Array<{ claimed_by: string }>;
  const dead = holders.map((h) => h.claimed_by).filter(isDead);
  if (dead.length === 0) return 0;
  const r = await db.updateTable('outbox').set({ locked_until: 0, claimed_by: null, attempts: sql`case when attempts > 0 then attempts - 1 else 0 end` })
    .where('status', '=', 'pending').where('claimed_by', 'in', dead).executeTakeFirst();
  return Number(r.numUpdatedRows ?? 0);
}
