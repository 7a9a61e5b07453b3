import { PERMISSIONS } from '../../../core/auth/permissions.js';
import { recordAccountEvent } from '../../../core/audit/account-events.js';
import { can } from '../../../core/model.js';
import { markPhpObject } from '../../../lib/php-values.js';
import { decodeUserData } from '../../../core/accounts/user-data.js';
import { anonymousUserObject, dbString, stripPrivate } from '../presenters/user-object.js';
import { defineResource, type InvocationContext } from '../resource.js';
import { ACCOUNT_COLUMNS } from '../../../core/model.js';

/** The global user of system/connect: users columns plus the session row, or the anonymous user. */
function connectedUser(ctx: InvocationContext): Record<string, unknown> {
  const { session, caller } = ctx;
  const account = session.actor.account;
  if (!account || !session.record) return anonymousUserObject(caller.ip, session.actor.roles[1] ?? 'anonymous user', ctx.deps.clock.now());
  const user: Record<string, unknown> = {};
  for (const column of ACCOUNT_COLUMNS) user[column] = dbString(account[column]);
  user.data = decodeUserData(account.data);
  const record = session.record;
  Object.assign(user, { sid: record.sid, ssid: record.ssid, hostname: record.hostname, timestamp: String(record.timestamp), cache: String(record.cache), session: record.session });
  user.roles = { ...session.actor.roles };
  return markPhpObject(stripPrivate(user, session.actor, account.uid));
}

const mayGet = (ctx: InvocationContext) => can(ctx.caller.actor, PERMISSIONS.getVariable);
const maySet = (ctx: InvocationContext) => can(ctx.caller.actor, PERMISSIONS.setVariable);

/** The `system` resource: connect and the variable actions. */
export const systemResource = defineResource({
  name: 'system',
  actions: {
    connect: {
      args: [],
      access: () => true,
      handler: async (ctx) => markPhpObject({ sessid: ctx.session.sessionIdForDisplay, session_name: ctx.session.cookie.name, user: connectedUser(ctx) }),
    },
    get_variable: {
      args: [
        { name: 'name', source: { from: 'data', name: 'name' } },
        { name: 'default', source: { from: 'data', name: 'default' }, optional: true },
      ],
      access: mayGet,
      handler: async (ctx, args) => {
        const value = ctx.caller.settings.stored(String(args.name));
        return value === undefined ? (args.default ?? null) : value;
      },
    },
    set_variable: {
      args: [
        { name: 'name', source: { from: 'data', name: 'name' } },
        { name: 'value', source: { from: 'data', name: 'value' } },
      ],
      access: maySet,
      handler: async (ctx, args) => {
        await ctx.deps.store.variables.set(String(args.name), args.value);
        await recordAccountEvent(ctx.deps, ctx.caller, 'settings_change', null, `set ${String(args.name).slice(0, 128)}`);
        return null;
      },
    },
    del_variable: {
      args: [{ name: 'name', source: { from: 'data', name: 'name' } }],
      access: maySet,
      handler: async (ctx, args) => {
        await ctx.deps.store.variables.delete(String(args.name));
        await recordAccountEvent(ctx.deps, ctx.caller, 'settings_change', null, `deleted ${String(args.name).slice(0, 128)}`);
        return null;
      },
    },
  },
});
