import type { Role } from '../core/model.js';
import type { FieldDefinition } from '../core/fields/field-definition.js';
import type { FieldRepository, RoleRepository, VariableRepository } from '../core/ports.js';

/**
 * A short-lived in-process cache for what nearly every request reads and almost nothing writes: role
 * definitions, role permissions, user field definitions and site settings. Writes through this process clear it at once; writes by
 * other instances (or an import) are seen after `ttlMs` at most.
 */
export class ReadCache {
  private readonly entries = new Map<string, { at: number; value: Promise<unknown> }>();
  constructor(readonly ttlMs = 1000) {}

  get<T>(key: string, load: () => Promise<T>): Promise<T> {
    const now = Date.now();
    const hit = this.entries.get(key);
    if (hit && now - hit.at < this.ttlMs) return hit.value as Promise<T>;
    const value = load();
    this.entries.set(key, { at: now, value });
    value.catch(() => this.entries.delete(key));
    return value;
  }

  clear(prefix: string): void {
    for (const key of this.entries.keys()) if (key.startsWith(prefix)) this.entries.delete(key);
  }
}

export function cachedRoles(inner: RoleRepository, cache: ReadCache): RoleRepository {
  return {
    all: () => cache.get<Role[]>('roles:all', () => inner.all()),
    rolesOf: (uid) => inner.rolesOf(uid),
    setRoles: (uid, rids) => inner.setRoles(uid, rids),
    permissionsOf: (rids) => cache.get<string[]>(`roles:perm:${[...rids].sort((a, b) => a - b).join(',')}`, () => inner.permissionsOf(rids)),
    grant: async (rid, permissions) => { try { await inner.grant(rid, permissions); } finally { cache.clear('roles:'); } },
    ensureRole: async (role) => { try { await inner.ensureRole(role); } finally { cache.clear('roles:'); } },
  };
}

export function cachedVariables(inner: VariableRepository, cache: ReadCache): VariableRepository {
  const invalidate = async <T>(p: Promise<T>): Promise<T> => { try { return await p; } finally { cache.clear('vars:'); } };
  return {
    get: (name) => inner.get(name),
    all: () => cache.get('vars:all', () => inner.all()),
    set: (name, value) => invalidate(inner.set(name, value)),
    setIfAbsent: (name, value) => invalidate(inner.setIfAbsent(name, value)),
    delete: (name) => invalidate(inner.delete(name)),
  };
}

export function cachedFields(inner: FieldRepository, cache: ReadCache): FieldRepository {
  return {
    definitions: () => cache.get<FieldDefinition[]>('fields:definitions', () => inner.definitions()),
    saveDefinition: async (d) => { try { await inner.saveDefinition(d); } finally { cache.clear('fields:'); } },
    valuesOf: (uid) => inner.valuesOf(uid),
    setItems: (uid, field, items) => inner.setItems(uid, field, items),
    deleteFor: (uid) => inner.deleteFor(uid),
  };
}
