import { mayViewAccount } from '../../../../core/auth/account-access.js';
import { PERMISSIONS } from '../../../../core/auth/permissions.js';
import { domainError } from '../../../../core/errors.js';
import { type Account, can } from '../../../../core/model.js';
import type { Args, InvocationContext } from '../../resource.js';

/**
 * Loads the account a path id names, as _user_resource_access does first for every operation but create:
 * a missing account (or a non-numeric id, or uid 0) is `404 Not found : There is no user with ID …`.
 */
export async function loadTarget(ctx: InvocationContext, args: Args): Promise<Account> {
  const raw = String(args.uid ?? '');
  const cached = ctx.loaded.get(raw);
  if (cached) return cached;
  const uid = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  // The caller's own account was loaded with the session a moment ago in this request.
  const own = ctx.caller.actor.account;
  const account = own && own.uid === uid ? own : Number.isSafeInteger(uid) && uid > 0 ? await ctx.deps.store.accounts.byUid(uid) : undefined;
  if (!account) throw domainError('user_not_found', { id: raw });
  ctx.loaded.set(raw, account);
  return account;
}

/** user_view_access. */
export async function mayView(ctx: InvocationContext, args: Args): Promise<boolean> {
  return mayViewAccount(ctx.caller.actor, await loadTarget(ctx, args));
}

export async function mayAdminister(ctx: InvocationContext, args: Args): Promise<boolean> {
  await loadTarget(ctx, args);
  return can(ctx.caller.actor, PERMISSIONS.administerUsers);
}

export async function targetExists(ctx: InvocationContext, args: Args): Promise<boolean> {
  await loadTarget(ctx, args);
  return true;
}

export const open = (): boolean => true;
