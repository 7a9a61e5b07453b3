import type { Kysely } from 'kysely';
import type { Role } from '../core/model.js';
import type { RoleRepository } from '../core/ports.js';
import { precompiled } from './precompiled.js';
import type { Database } from './schema.js';

export class KyselyRoleRepository implements RoleRepository {
  /** Every request with a session reads its account's roles: compiled once. */
  private readonly selectRolesOf;

  constructor(private readonly db: Kysely<Database>) {
    this.selectRolesOf = precompiled(db, (uid: number) => db.selectFrom('users_roles').select('rid').where('uid', '=', uid).orderBy('rid'));
  }

  async all(): Promise<Role[]> {
    return this.db.selectFrom('role').selectAll().orderBy('weight').orderBy('rid').execute();
  }

  async rolesOf(uid: number): Promise<number[]> {
    const { rows } = await this.selectRolesOf(uid);
    return rows.map((r) => Number(r.rid));
  }

  async setRoles(uid: number, rids: number[]): Promise<void> {
    await this.db.deleteFrom('users_roles').where('uid', '=', uid).execute();
    const unique = [...new Set(rids)];
    if (unique.length > 0) await this.db.insertInto('users_roles').values(unique.map((rid) => ({ uid, rid }))).execute();
  }

  async permissionsOf(rids: number[]): Promise<string[]> {
    if (rids.length === 0) return [];
    const rows = await this.db.selectFrom('role_permission').select('permission').distinct().where('rid', 'in', rids).execute();
    return rows.map((r) => r.permission);
  }

  async grant(rid: number, permissions: string[]): Promise<void> {
    for (const permission of permissions) {
      await this.db.insertInto('role_permission').values({ rid, permission, module: '' })
        .onConflict((oc) => oc.columns(['rid', 'permission']).doNothing()).execute();
    }
  }

  async ensureRole(role: Role): Promise<void> {
    await this.db.insertInto('role').values(role).onConflict((oc) => oc.column('rid').doNothing()).execute();
  }
}
