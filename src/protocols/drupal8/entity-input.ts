import { PERMISSIONS } from '../../core/auth/permissions.js';
import { type Account, can } from '../../core/model.js';
import { type FieldItems, firstValue } from './field-values.js';
import { Drupal8HttpError, forbidden } from './http-error.js';
import type { Drupal8Context } from './request-context.js';
import { roleMachineName } from './user-normalizer.js';

/** The user entity's fields this dialect reads; any other name is unknown to the entity. */
const KNOWN = new Set(['uid', 'uuid', 'langcode', 'preferred_langcode', 'preferred_admin_langcode', 'name', 'pass', 'mail', 'timezone',
  'status', 'created', 'changed', 'access', 'login', 'init', 'roles', 'default_langcode']);

/** Fields only an administrator edits (UserAccessControlHandler: neutral for everyone else). */
const ADMIN_ONLY = new Set(['status', 'roles', 'created', 'access', 'login', 'init']);

/** Fields only an administrator may even see: sending them is refused whatever their value (no disclosure). */
const ADMIN_VIEW = new Set(['status', 'roles', 'access', 'login', 'init']);

/** Fields whose edits are not kept by the account store (computed or fixed): accepted only unchanged. */
const FIXED = new Set(['uid', 'uuid', 'langcode', 'preferred_admin_langcode', 'created', 'changed', 'access', 'login', 'init', 'default_langcode']);

export type Operation = 'updating' | 'creating';

/**
 * Field-list input → the account values the core's update/registration rules take, after the dialect's
 * field access: an unknown field is a 422; a field the caller may not edit a 403 (on update, a field sent
 * with its current value is let through when the caller may see it, as EntityResource::checkPatchFieldAccess does).
 */
export async function accountInput(ctx: Drupal8Context, fields: Map<string, FieldItems>, target: Account | null, op: Operation): Promise<Record<string, unknown>> {
  const actor = ctx.caller.actor;
  const admin = can(actor, PERMISSIONS.administerUsers);
  const values: Record<string, unknown> = {};
  for (const [name, items] of fields) {
    if (!KNOWN.has(name)) throw new Drupal8HttpError(422, `Field "${name}" is unknown.`);
    const value = firstValue(items);
    const unchanged = target !== null && (admin || !ADMIN_VIEW.has(name)) && sameAsStored(name, items, target);
    const editable = op === 'creating'
      ? !ADMIN_ONLY.has(name) && name !== 'uid'
      : admin ? !FIXED.has(name) : !ADMIN_ONLY.has(name) && !FIXED.has(name) && (name !== 'name' || can(actor, PERMISSIONS.changeOwnUsername));
    if (!editable) {
      if (unchanged) continue;
      throw forbidden(`Access denied on ${op} field '${name}'.`);
    }
    switch (name) {
      case 'pass':
        values.pass = value ?? '';
        if (typeof items[0]?.existing === 'string') values.current_pass = items[0].existing;
        break;
      case 'status': values.status = value === true || value === 1 || value === '1' ? 1 : 0; break;
      case 'preferred_langcode': if (typeof value === 'string') values.language = value; break;
      case 'roles': values.roles = await roleIds(ctx, items); break;
      default: values[name] = value;
    }
  }
  return values;
}

function sameAsStored(name: string, items: FieldItems, target: Account): boolean {
  const value = firstValue(items);
  if (name === 'uid') return String(value) === String(target.uid);
  if (name === 'name' || name === 'mail' || name === 'init' || name === 'timezone') return value === target[name];
  if (name === 'status') return (value === true || value === 1 || value === '1') === (target.status === 1);
  return false;
}

/** Role references (`target_id` machine names) → the site's role ids, as the core's role rules take them. */
async function roleIds(ctx: Drupal8Context, items: FieldItems): Promise<Record<string, string>> {
  const all = await ctx.core.store.roles.all();
  const out: Record<string, string> = {};
  for (const item of items) {
    const role = all.find((r) => roleMachineName(Number(r.rid), r.name) === item.target_id);
    if (!role) throw new Drupal8HttpError(422, `Unprocessable Entity: validation failed.\nroles.${items.indexOf(item)}.target_id: The referenced entity (user_role: ${String(item.target_id)}) does not exist.\n`);
    out[String(role.rid)] = String(role.rid);
  }
  return out;
}
