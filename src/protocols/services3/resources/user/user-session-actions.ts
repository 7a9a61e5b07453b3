import { authenticate } from '../../../../core/auth/login.js';
import { domainError } from '../../../../core/errors.js';
import { markPhpObject } from '../../../../lib/php-values.js';
import { loadUserExtras } from '../../presenters/user-extras.js';
import { anonymousUserObject, userObject } from '../../presenters/user-object.js';
import type { Args, InvocationContext, OperationSpec } from '../../resource.js';
import { open } from './user-access.js';

async function logIn(ctx: InvocationContext, name: unknown, pass: unknown): Promise<unknown> {
  const session = ctx.session;
  if (session.authenticated) throw domainError('already_logged_in', { name: session.actor.name });
  const account = await authenticate(ctx.deps, ctx.caller, String(name), String(pass));
  await session.logIn(account);
  const extras = await loadUserExtras(ctx.deps.store, account, ctx.caller.settings, ctx.caller.baseUrl);
  const user = userObject(account, session.actor.roles, ctx.caller.settings, session.actor, extras);
  user.login = ctx.deps.clock.now();
  return markPhpObject({ sessid: session.rawSid, session_name: session.cookie.name, token: session.token(), user });
}

const loginV11: Omit<OperationSpec, 'versions'> = {
  args: [
    { name: 'name', source: { from: 'data', name: 'name' } },
    { name: 'pass', source: { from: 'data', name: 'pass' } },
  ],
  access: open,
  handler: (ctx, args: Args) => logIn(ctx, args.name, args.pass),
};

export const login: OperationSpec = {
  args: [
    { name: 'username', source: { from: 'data', name: 'username' } },
    { name: 'password', source: { from: 'data', name: 'password' } },
  ],
  access: open,
  handler: (ctx, args) => logIn(ctx, args.username, args.password),
  versions: { '1.1': loginV11 },
};

async function logOut(ctx: InvocationContext): Promise<void> {
  if (!ctx.session.authenticated) throw domainError('not_logged_in');
  await ctx.session.logOut();
}

export const logout: OperationSpec = {
  args: [],
  access: open,
  handler: async (ctx) => { await logOut(ctx); return true; },
  versions: {
    '1.1': {
      args: [],
      access: open,
      handler: async (ctx) => {
        await logOut(ctx);
        return anonymousUserObject(ctx.caller.ip, ctx.session.actor.roles[1] ?? 'anonymous user');
      },
    },
  },
};

export const token: OperationSpec = {
  args: [],
  access: open,
  csrfExempt: true,
  handler: async (ctx) => markPhpObject({ token: ctx.session.token() }),
};
