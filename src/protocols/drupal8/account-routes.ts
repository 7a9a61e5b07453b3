import { requestNewPassword } from '../../core/accounts/password-recovery.js';
import { registerAccount } from '../../core/accounts/registration.js';
import { GatehouseError } from '../../core/errors.js';
import { can } from '../../core/model.js';
import { checkHeaderToken } from './csrf.js';
import { accountInput } from './entity-input.js';
import { credentials, decodeJsonBody, entityFields } from './field-values.js';
import { badRequest, Drupal8HttpError, forbidden, unprocessable } from './http-error.js';
import type { Drupal8Context, Drupal8Handler } from './request-context.js';
import { normalizeUser } from './user-normalizer.js';
import { asViolations } from './violations.js';

const REGISTRATION_PERMISSION = 'restful post user_registration';

/** POST /user/password?_format=json: a reset mail for a name (which wins) or a mail; 200 whatever the outcome. */
export const requestPassword: Drupal8Handler = async (ctx) => {
  const body = credentials(decodeJsonBody(ctx.request.body));
  const given = body.name ?? body.mail ?? null;
  if (given === null) throw badRequest('Missing credentials.name or credentials.mail');
  try {
    await requestNewPassword(ctx.core, ctx.caller, String(given));
  } catch (err) {
    // Unknown or blocked accounts are only logged, so that nobody learns which accounts exist.
    if (!(err instanceof GatehouseError && err.code === 'not_recognized')) throw err;
    ctx.request.log.info({ name: String(given) }, 'password reset requested for an unknown or blocked account');
  }
  return { status: 200, empty: true };
};

/**
 * `restful post user_registration`: held by the roles granted it; on a site imported from Drupal 7 (the
 * default) anonymous visitors also hold it while user_register lets visitors register.
 */
function mayRegister(ctx: Drupal8Context): boolean {
  const actor = ctx.caller.actor;
  if (can(actor, REGISTRATION_PERMISSION)) return true;
  return ctx.config.drupal8.registration === 'user_register' && actor.uid === 0 && ctx.caller.settings.registerMode !== 0;
}

/** POST /user/register?_format=json (UserRegistrationResource), checks in Drupal's order. */
export const register: Drupal8Handler = async (ctx) => {
  const type = String(ctx.request.headers['content-type'] ?? '');
  if (type === '') throw new Drupal8HttpError(415, 'No "Content-Type" request header specified');
  if (type.split(';')[0].trim().toLowerCase() !== 'application/json') throw new Drupal8HttpError(415, `No route found that matches "Content-Type: ${type}"`);
  if (!mayRegister(ctx)) throw forbidden(`The '${REGISTRATION_PERMISSION}' permission is required.`);
  checkHeaderToken(ctx);
  const fields = entityFields(decodeJsonBody(ctx.request.body));
  if (fields.size === 0) throw badRequest('No user account data for registration received.');
  if (fields.has('uid')) throw badRequest('An ID has been set and only new user accounts can be registered.');
  if (ctx.session.authenticated) throw forbidden('Only anonymous users can register a user.');
  const settings = ctx.caller.settings;
  if (settings.registerMode === 0) throw forbidden('You cannot register a new user account.');
  const hasPass = fields.has('pass') && String(fields.get('pass')?.[0]?.value ?? '') !== '';
  if (!settings.emailVerification && !hasPass) throw unprocessable('No password provided.');
  if (settings.emailVerification && hasPass) throw unprocessable('A Password cannot be specified. It will be generated on login.');
  const input = await accountInput(ctx, fields, null, 'creating');
  // The core's form requires the mail element; the entity's constraint wording is mapped in violations.ts.
  const result = await registerAccount(ctx.core, ctx.caller, { mail: '', ...input }).catch((err: unknown) => { throw asViolations(err, input); });
  // Unlike Drupal 7's form, the new account is not logged in.
  return { status: 200, json: normalizeUser({ target: result.account, roles: {}, viewer: ctx.caller.actor }) };
};
