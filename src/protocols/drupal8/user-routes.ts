import { mayDeleteAccount, mayViewAccount } from '../../core/auth/account-access.js';
import { deleteAccount } from '../../core/accounts/account-removal.js';
import { mayUpdateAccount, updateAccount } from '../../core/accounts/account-update.js';
import type { Account } from '../../core/model.js';
import { checkHeaderToken } from './csrf.js';
import { accountInput } from './entity-input.js';
import { decodeJsonBody, entityFields } from './field-values.js';
import { badRequest, Drupal8HttpError, forbidden } from './http-error.js';
import type { Drupal8Context, Drupal8Handler } from './request-context.js';
import { normalizeUser } from './user-normalizer.js';
import { asViolations } from './violations.js';

/** The {user} parameter, loaded as the entity converter does (a missing account is a 404). */
async function loadUser(ctx: Drupal8Context, method: string): Promise<Account> {
  const raw = String((ctx.request.params as Record<string, string>).uid ?? '');
  const uid = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  const account = Number.isSafeInteger(uid) && uid > 0 ? await ctx.core.store.accounts.byUid(uid) : undefined;
  if (uid === 0) throw forbidden(`You are not authorized to ${method === 'GET' ? 'view' : method === 'PATCH' ? 'update' : 'delete'} this user entity.`);
  if (!account) {
    throw new Drupal8HttpError(404, `The "user" parameter was not converted for the path "/user/{user}" (route name: "rest.entity.user.${method}")`);
  }
  return account;
}

async function normalized(ctx: Drupal8Context, target: Account): Promise<Record<string, unknown>> {
  const all = await ctx.core.store.roles.all();
  const roles: Record<number, string> = {};
  for (const rid of await ctx.core.store.roles.rolesOf(target.uid)) roles[rid] = all.find((r) => Number(r.rid) === rid)?.name ?? '';
  return normalizeUser({ target, roles, viewer: ctx.caller.actor });
}

/** GET /user/{uid}?_format=json: the entity as the caller may see it. */
export const getUser: Drupal8Handler = async (ctx) => {
  const target = await loadUser(ctx, 'GET');
  if (!mayViewAccount(ctx.caller.actor, target)) throw forbidden("The 'access user profiles' permission is required and the user must be active.");
  return { status: 200, json: await normalized(ctx, target) };
};

/** PATCH /user/{uid}?_format=json: the submitted fields, each checked for edit access, then saved (200 + entity). */
export const patchUser: Drupal8Handler = async (ctx) => {
  const target = await loadUser(ctx, 'PATCH');
  checkHeaderToken(ctx);
  const fields = entityFields(decodeJsonBody(ctx.request.body));
  if (fields.size === 0) throw badRequest('No entity content received.');
  if (!mayUpdateAccount(ctx.caller, target.uid)) throw forbidden("Users can only update their own account, unless they have the 'administer users' permission.");
  const input = await accountInput(ctx, fields, target, 'updating');
  const result = await updateAccount(ctx.core, ctx.caller, target, input, { passResetVerified: false }).catch((err: unknown) => { throw asViolations(err, input); });
  return { status: 200, json: await normalized(ctx, result.account) };
};

/** DELETE /user/{uid}?_format=json: 204. */
export const deleteUser: Drupal8Handler = async (ctx) => {
  const target = await loadUser(ctx, 'DELETE');
  checkHeaderToken(ctx);
  if (!mayDeleteAccount(ctx.caller.actor, target)) throw forbidden('You are not authorized to delete this user entity.');
  await deleteAccount(ctx.core, target);
  return { status: 204, empty: true };
};
