import { queueAccountMail, requestNewPassword, usePassResetLink, welcomeMailKind } from '../../../../core/accounts/password-recovery.js';
import { markPhpObject } from '../../../../lib/php-values.js';
import type { OperationSpec } from '../../resource.js';
import { loadTarget, mayAdminister, open, targetExists } from './user-access.js';

const uidArg = { name: 'uid', source: { from: 'path', index: 0 } } as const;

export const requestNewPasswordAction: OperationSpec = {
  args: [{ name: 'name', source: { from: 'data', name: 'name' } }],
  access: open,
  handler: async (ctx, args) => requestNewPassword(ctx.deps, ctx.caller, args.name),
};

export const userPassReset: OperationSpec = {
  args: [
    { name: 'uid', source: { from: 'data', name: 'uid' } },
    { name: 'timestamp', source: { from: 'data', name: 'timestamp' } },
    { name: 'hashed_pass', source: { from: 'data', name: 'hashed_pass' } },
  ],
  access: open,
  handler: async (ctx, args) => {
    const result = await usePassResetLink(ctx.deps, ctx.caller, { uid: args.uid, timestamp: args.timestamp, hashedPass: args.hashed_pass });
    await ctx.session.logIn(result.account, { [`pass_reset_${result.account.uid}`]: result.token });
    return markPhpObject({ pass_reset_token: result.token, message: result.message });
  },
};

export const passwordReset: OperationSpec = {
  args: [uidArg],
  // Hardened: anonymous callers may not mail reset links to an account picked by uid.
  access: async (ctx, args) => (ctx.deps.security !== 'hardened' || ctx.caller.actor.uid !== 0) && targetExists(ctx, args),
  handler: async (ctx, args) => { await queueAccountMail(ctx.deps, ctx.caller, 'password_reset', await loadTarget(ctx, args)); return true; },
};

export const resendWelcomeEmail: OperationSpec = {
  args: [uidArg],
  access: mayAdminister,
  handler: async (ctx, args) => {
    await queueAccountMail(ctx.deps, ctx.caller, welcomeMailKind(ctx.caller.settings.registerMode), await loadTarget(ctx, args));
    return true;
  },
};
