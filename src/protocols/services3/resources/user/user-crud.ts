import { listAccounts } from '../../../../core/accounts/account-index.js';
import { cancelAccount, deleteAccount } from '../../../../core/accounts/account-removal.js';
import { mayUpdateAccount, updateAccount } from '../../../../core/accounts/account-update.js';
import { mayCreateAccount, registerAccount } from '../../../../core/accounts/registration.js';
import { actorFor, PERMISSIONS } from '../../../../core/auth/permissions.js';
import { can } from '../../../../core/model.js';
import { markPhpObject } from '../../../../lib/php-values.js';
import { indexRow } from '../../presenters/account-rows.js';
import { userObject } from '../../presenters/user-object.js';
import { loadUserExtras } from '../../presenters/user-extras.js';
import type { InvocationContext, OperationSpec } from '../../resource.js';
import { loadTarget, mayAdminister, mayView } from './user-access.js';

const uidArg = { name: 'uid', source: { from: 'path', index: 0 } } as const;

export const retrieve: OperationSpec = {
  args: [uidArg],
  access: mayView,
  handler: async (ctx, args) => {
    const target = await loadTarget(ctx, args);
    const actor = ctx.caller.actor.uid === target.uid ? ctx.caller.actor : await actorFor(ctx.deps.store.roles, target);
    const extras = await loadUserExtras(ctx.deps.store, target, ctx.caller.settings, ctx.caller.baseUrl);
    return userObject(target, actor.roles, ctx.caller.settings, ctx.caller.actor, extras);
  },
};

/** create and register are one operation (Services' register is literally a copy of create). */
export const create: OperationSpec = {
  args: [{ name: 'account', source: { from: 'data' }, type: 'array' }],
  access: (ctx) => mayCreateAccount(ctx.caller),
  handler: async (ctx, args) => {
    const result = await registerAccount(ctx.deps, ctx.caller, args.account);
    if (ctx.caller.actor.uid === 0 && result.logIn) await ctx.session.logIn(result.account, {});
    ctx.session.flash(result.messages);
    const uid = String(result.account.uid);
    return markPhpObject({ uid, uri: ctx.endpoint.resourcePath('user') + '/' + uid });
  },
};

export const update: OperationSpec = {
  args: [uidArg, { name: 'data', source: { from: 'data' }, type: 'array' }],
  access: async (ctx, args) => { const t = await loadTarget(ctx, args); return mayUpdateAccount(ctx.caller, t.uid); },
  handler: async (ctx, args) => {
    const target = await loadTarget(ctx, args);
    const resetToken = ctx.query['pass-reset-token'];
    const stored = ctx.session.get(`pass_reset_${target.uid}`);
    const passResetVerified = typeof resetToken === 'string' && typeof stored === 'string' && resetToken === stored;
    const result = await updateAccount(ctx.deps, ctx.caller, target, args.data, { passResetVerified });
    // user_profile_form_submit: a saved password uses up the one-time login's token; the message stays in the session.
    if (result.passwordSaved) ctx.session.delete(`pass_reset_${target.uid}`);
    ctx.session.flash([result.message]);
    return updateEcho(ctx, result.values, String(args.uid), result.roles, result.rolesFromInput, target.uid);
  },
};

/** The echo of update: the submitted keys in order (private ones removed), then uid, then roles. */
async function updateEcho(
  ctx: InvocationContext, values: Record<string, unknown>, uid: string, roles: number[], rolesFromInput: boolean, targetUid: number,
): Promise<Record<string, unknown>> {
  const actor = ctx.caller.actor;
  const admin = can(actor, PERMISSIONS.administerUsers);
  const echo: Record<string, unknown> = { ...values };
  delete echo.pass;
  delete echo.current_pass;
  if (!admin && actor.uid !== targetUid) delete echo.mail;
  if (!admin) delete echo.init;
  echo.uid = uid;
  if (!(rolesFromInput && 'roles' in values)) {
    const all = await ctx.deps.store.roles.all();
    const map: Record<number, string> = { 2: all.find((r) => Number(r.rid) === 2)?.name ?? 'authenticated user' };
    for (const rid of roles) map[rid] = all.find((r) => Number(r.rid) === rid)?.name ?? '';
    echo.roles = map;
  }
  return markPhpObject(echo);
}

export const remove: OperationSpec = {
  args: [uidArg],
  access: mayAdminister,
  handler: async (ctx, args) => { await deleteAccount(ctx.deps, await loadTarget(ctx, args)); return true; },
};

export const cancel: OperationSpec = {
  args: [uidArg],
  access: mayAdminister,
  handler: async (ctx, args) => { ctx.session.flash([await cancelAccount(ctx.deps, ctx.caller, await loadTarget(ctx, args))]); return true; },
};

export const index: OperationSpec = {
  args: [
    { name: 'page', source: { from: 'param', name: 'page' }, optional: true, default: 0 },
    { name: 'fields', source: { from: 'param', name: 'fields' }, optional: true, default: '*' },
    { name: 'parameters', source: { from: 'param', name: 'parameters' }, optional: true, default: [], type: 'array' },
    { name: 'pagesize', source: { from: 'param', name: 'pagesize' }, optional: true },
    { name: 'options', source: { from: 'param', name: 'options' }, optional: true, type: 'array' },
  ],
  access: (ctx) => can(ctx.caller.actor, PERMISSIONS.accessUserProfiles),
  handler: async (ctx, args) => {
    const rows = await listAccounts(ctx.deps, ctx.caller, args);
    const base = ctx.endpoint.resourcePath('user');
    return rows.map((row) => indexRow(row, ctx.caller.actor, (uid) => `${base}/${uid}`));
  },
};
