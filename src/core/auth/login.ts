import type { Caller, CoreDeps } from '../core-deps.js';
import { recordAccountEvent } from '../audit/account-events.js';
import { domainError, GatehouseError } from '../errors.js';
import type { Account } from '../model.js';
import { isOverloaded } from '../passwords/hash-limiter.js';
import { phpTrim } from '../validation/username.js';
import type { PasswordHasher } from '../passwords/password-hasher.js';
import { FLOOD_IP_EVENT, FLOOD_USER_EVENT, FloodControl } from './flood-control.js';

/**
 * The order of the checks, which differs between the dialects: Services (Drupal 7) refuses a blocked account
 * before flood control, which it applies only when `services_flood_control_enabled`; Drupal 8+'s HTTP login
 * always applies flood control and answers a flooded attempt without counting it, before the blocked check.
 */
export interface LoginRules { blockedFirst: boolean; floodAlways: boolean }
export const SERVICES_LOGIN: LoginRules = { blockedFirst: true, floodAlways: false };
export const DRUPAL8_HTTP_LOGIN: LoginRules = { blockedFirst: false, floodAlways: true };
/** Drupal 7's HTML login form: user_login_name_validate (blocked) first, then user_login_authenticate_validate's flood, always on. */
export const DRUPAL7_FORM_LOGIN: LoginRules = { blockedFirst: true, floodAlways: true };

/** Refusals not recorded as failed logins: flood control's, and a full hash queue's. */
const UNRECORDED_REFUSALS = new Set(['flood_ip', 'flood_user', 'overloaded']);

/**
 * Checks a name and password the way Services' user/login does, in its order: blocked account (403, no
 * flood event) → flood limits (per IP, then per account) → credentials; failures are counted per IP and
 * per account, and a success clears the account's counter. Returns the account; does not start a session.
 */
export async function authenticate(deps: CoreDeps, caller: Caller, submitted: string, pass: string, rules: LoginRules = SERVICES_LOGIN, o: { mailLogin?: boolean } = {}): Promise<Account> {
  let account: Account;
  try {
    account = await checkCredentials(deps, caller, submitted, pass, rules, o);
  } catch (err) {
    // A refusal (wrong password, blocked account) is an account event; one by flood control is not (it is
    // counted in the metrics): the attempts it refuses cost nothing, and the log must not grow with them.
    if (err instanceof GatehouseError && !UNRECORDED_REFUSALS.has(err.code)) await recordAccountEvent(deps, caller, 'login_failed', null, `name "${submitted.slice(0, 60)}": ${err.code}`);
    throw err;
  }
  await recordAccountEvent(deps, { ...caller, actor: account }, 'login', account);
  return account;
}

async function checkCredentials(deps: CoreDeps, caller: Caller, submitted: string, pass: string, rules: LoginRules, o: { mailLogin?: boolean }): Promise<Account> {
  const { store, clock } = deps;
  const name = await loginName(deps, submitted, o.mailLogin ?? caller.settings.flag('gatehouse_login_with_email'));
  const hardened = deps.security === 'hardened';
  const refuseBlocked = async () => {
    const blocked = await store.accounts.byName(name, 'like');
    if (blocked && blocked.status === 0 && name !== '') {
      deps.metrics?.loginAttempt('blocked');
      if (hardened) {
        // One generic answer, at the cost of a real check: a blocked name looks like any wrong password.
        if (pass.trim() !== '') await dummyVerify(deps.hasher, pass);
        throw domainError('wrong_credentials');
      }
      throw domainError('account_blocked', { name });
    }
  };
  if (rules.blockedFirst) await refuseBlocked();

  const flood = new FloodControl(store.flood, caller.settings, clock.now());
  const floodOn = rules.floodAlways || caller.settings.flag('services_flood_control_enabled');
  let flooded: 'ip' | 'user' | null = null;
  let identifier: string | null = null;
  if (floodOn) {
    if (!(await flood.isAllowed(FLOOD_IP_EVENT, caller.ip))) flooded = 'ip';
    else {
      const active = name === '' ? undefined : await store.accounts.byName(name, '=');
      if (active && active.status === 1) {
        identifier = caller.settings.flag('user_failed_login_identifier_uid_only') ? String(active.uid) : `${active.uid}-${caller.ip}`;
        if (!(await flood.isAllowed(FLOOD_USER_EVENT, identifier))) flooded = 'user';
      }
    }
  }

  if (!rules.blockedFirst) {
    if (flooded !== null) {
      deps.metrics?.loginAttempt(flooded === 'user' ? 'flood_user' : 'flood_ip');
      throw domainError(flooded === 'user' ? 'flood_user' : 'flood_ip');
    }
    await refuseBlocked();
  }
  let account: Account | undefined;
  if (flooded === null && name !== '' && pass.trim() !== '') {
    const found = await store.accounts.byName(name, '=');
    const candidate = found && deps.legacyAccounts ? await deps.legacyAccounts.atLogin(found) : found;
    // An unknown name costs one verify as a known one does, so the time taken does not tell which names exist.
    if (candidate && candidate.status === 1 && candidate.pass !== '') {
      if (await deps.hasher.verify(pass, candidate.pass)) account = candidate;
    } else await dummyVerify(deps.hasher, pass);
  }

  if (!account) {
    if (floodOn) {
      await flood.register(FLOOD_IP_EVENT, caller.ip);
      if (identifier) await flood.register(FLOOD_USER_EVENT, identifier);
    }
    deps.metrics?.loginAttempt(flooded === 'user' ? 'flood_user' : flooded === 'ip' ? 'flood_ip' : 'failed');
    if (hardened) throw domainError('wrong_credentials');
    if (flooded === 'user') throw domainError('flood_user');
    if (flooded === 'ip') throw domainError('flood_ip');
    throw domainError('wrong_credentials');
  }
  deps.metrics?.loginAttempt('ok');
  if (identifier) await flood.clear(FLOOD_USER_EVENT, identifier);
  if (deps.hasher.needsRehash(account.pass)) {
    // user_save() hashes the trimmed password, as Drupal's own login rehash does. The upgrade waits for the
    // next login when the hash queue is full: the login itself has succeeded.
    const pass2 = await deps.hasher.hash(phpTrim(pass)).catch((err: unknown) => { if (isOverloaded(err)) return null; throw err; });
    if (pass2 !== null) {
      await store.accounts.update(account.uid, { pass: pass2 });
      account = { ...account, pass: pass2 };
    }
  }
  return account;
}

const dummyHashes = new WeakMap<PasswordHasher, Promise<string>>();

/** A verify against a hash of the hasher's own kind (made once per hasher) whose answer is thrown away. */
async function dummyVerify(hasher: PasswordHasher, pass: string): Promise<void> {
  let dummy = dummyHashes.get(hasher);
  if (dummy === undefined) {
    dummy = hasher.hash(`dummy-${Math.random()}`);
    dummyHashes.set(hasher, dummy);
  }
  await hasher.verify(pass, await dummy);
}

/**
 * Login by e-mail (LoginToboggan's rule, applied before everything else): when the site setting
 * `gatehouse_login_with_email` is on and the submitted name is no account's name but an account's e-mail
 * address (LoginToboggan's `LOWER(mail) = LOWER(:name)`: the site's LIKE rule), that account's name is used. Off by default: Drupal's Services login takes
 * names only — site B's `logintoboggan_login_with_email` applies to its HTML form, not to the API (the web
 * login page passes `mailLogin` from it).
 */
async function loginName(deps: CoreDeps, submitted: string, mailLogin: boolean): Promise<string> {
  if (!mailLogin || !submitted.includes('@')) return submitted;
  if (await deps.store.accounts.byName(submitted, '=')) return submitted;
  const byMail = await deps.store.accounts.byMail(submitted, 'like');
  return byMail && byMail.uid > 0 ? byMail.name : submitted;
}
