import { DRUPAL8_HTTP_LOGIN, authenticate } from '../../core/auth/login.js';
import { PERMISSIONS } from '../../core/auth/permissions.js';
import { can } from '../../core/model.js';
import { checkLogoutToken, headerToken, loginCsrfToken, logoutToken } from './csrf.js';
import { credentials, decodeJsonBody } from './field-values.js';
import { badRequest, forbidden } from './http-error.js';
import type { Drupal8Handler } from './request-context.js';
import { roleMachineNames } from './user-normalizer.js';

/** POST /user/login?_format=json (UserAuthenticationController::login). */
export const login: Drupal8Handler = async (ctx) => {
  if (ctx.session.authenticated) throw forbidden('This route can only be accessed by anonymous users.');
  const body = credentials(decodeJsonBody(ctx.request.body));
  const name = body.name ?? null;
  const pass = body.pass ?? null;
  if (name === null && pass === null) throw badRequest('Missing credentials.');
  if (name === null) throw badRequest('Missing credentials.name.');
  if (pass === null) throw badRequest('Missing credentials.pass.');
  const account = await authenticate(ctx.core, ctx.caller, String(name), String(pass), DRUPAL8_HTTP_LOGIN);
  await ctx.session.logIn(account);
  const actor = ctx.session.actor;
  // `roles` is shown only to whoever may view the roles field of their own account: administrators.
  const currentUser = can(actor, PERMISSIONS.administerUsers)
    ? { uid: String(account.uid), roles: roleMachineNames(actor.roles), name: account.name }
    : { uid: String(account.uid), name: account.name };
  return { status: 200, json: { current_user: currentUser, csrf_token: loginCsrfToken(ctx), logout_token: logoutToken(ctx) } };
};

/** GET /user/login_status?_format=json: `1` or `0`, no session started. */
export const loginStatus: Drupal8Handler = async (ctx) => ({ status: 200, text: ctx.session.authenticated ? '1' : '0' });

/** POST /user/logout?_format=json&token=…: the logout token, then the session ends (204). */
export const logout: Drupal8Handler = async (ctx) => {
  checkLogoutToken(ctx);
  if (!ctx.session.authenticated) throw forbidden('');
  await ctx.session.logOut();
  return { status: 204, empty: true };
};

/** GET /session/token: the header token of the caller's session (a visitor's changes on every call). */
export const sessionToken: Drupal8Handler = async (ctx) => ({ status: 200, text: headerToken(ctx) });
