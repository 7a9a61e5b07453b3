import type { Caller, CoreDeps } from '../core-deps.js';
import { domainError } from '../errors.js';
import type { Account } from '../model.js';
import { phpTrim } from '../validation/username.js';
import { FLOOD_IP_EVENT, FLOOD_USER_EVENT, FloodControl } from './flood-control.js';

/**
 * Checks a name and password the way Services' user/login does, in its order: blocked account (403, no
 * flood event) → flood limits (per IP, then per account) → credentials; failures are counted per IP and
 * per account, and a success clears the account's counter. Returns the account; does not start a session.
 */
export async function authenticate(deps: CoreDeps, caller: Caller, submitted: string, pass: string, o: { mailLogin?: boolean } = {}): Promise<Account> {
  const { store, clock } = deps;
  const name = await loginName(deps, submitted, o.mailLogin ?? caller.settings.flag('gatehouse_login_with_email'));
  const blocked = await store.accounts.byName(name, 'insensitive');
  if (blocked && blocked.status === 0 && name !== '') {
    deps.metrics?.loginAttempt('blocked');
    throw domainError('account_blocked', { name });
  }

  const flood = new FloodControl(store.flood, caller.settings, clock.now());
  const floodOn = caller.settings.flag('services_flood_control_enabled');
  let flooded: 'ip' | 'user' | null = null;
  let identifier: string | null = null;
  if (floodOn) {
    if (!(await flood.isAllowed(FLOOD_IP_EVENT, caller.ip))) flooded = 'ip';
    else {
      const active = name === '' ? undefined : await store.accounts.byName(name, deps.loginNameMatch);
      if (active && active.status === 1) {
        identifier = caller.settings.flag('user_failed_login_identifier_uid_only') ? String(active.uid) : `${active.uid}-${caller.ip}`;
        if (!(await flood.isAllowed(FLOOD_USER_EVENT, identifier))) flooded = 'user';
      }
    }
  }

  let account: Account | undefined;
  if (flooded === null && name !== '' && pass.trim() !== '') {
    const found = await store.accounts.byName(name, deps.loginNameMatch);
    const candidate = found && deps.legacyAccounts ? await deps.legacyAccounts.atLogin(found) : found;
    if (candidate && candidate.status === 1 && (await deps.hasher.verify(pass, candidate.pass))) account = candidate;
  }

  if (!account) {
    if (floodOn) {
      await flood.register(FLOOD_IP_EVENT, caller.ip);
      if (identifier) await flood.register(FLOOD_USER_EVENT, identifier);
    }
    deps.metrics?.loginAttempt(flooded === 'user' ? 'flood_user' : flooded === 'ip' ? 'flood_ip' : 'failed');
    if (flooded === 'user') throw domainError('flood_user');
    if (flooded === 'ip') throw domainError('flood_ip');
    throw domainError('wrong_credentials');
  }
  deps.metrics?.loginAttempt('ok');
  if (identifier) await flood.clear(FLOOD_USER_EVENT, identifier);
  if (deps.hasher.needsRehash(account.pass)) {
    // user_save() hashes the trimmed password, as Drupal's own login rehash does.
    const pass2 = await deps.hasher.hash(phpTrim(pass));
    await store.accounts.update(account.uid, { pass: pass2 });
    account = { ...account, pass: pass2 };
  }
  return account;
}

/**
 * Login by e-mail (LoginToboggan's rule, applied before everything else): when the site setting
 * `gatehouse_login_with_email` is on and the submitted name is no account's name but an account's e-mail
 * address (case-insensitively), that account's name is used. Off by default: Drupal's Services login takes
 * names only — site B's `logintoboggan_login_with_email` applies to its HTML form, not to the API (the web
 * login page passes `mailLogin` from it).
 */
async function loginName(deps: CoreDeps, submitted: string, mailLogin: boolean): Promise<string> {
  if (!mailLogin || !submitted.includes('@')) return submitted;
  if (await deps.store.accounts.byName(submitted, deps.loginNameMatch)) return submitted;
  const byMail = await deps.store.accounts.byMail(submitted, 'insensitive');
  return byMail && byMail.uid > 0 ? byMail.name : submitted;
}
