/**
 * A one-time login link is good for one login, also when two requests use it at the same moment: both may
 * pass the link's checks before either has written, and the compare-and-set on users.login lets one through.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { anonymousActor } from '../../../src/core/auth/permissions.js';
import { usePassResetLink } from '../../../src/core/accounts/password-recovery.js';
import type { Caller, CoreDeps } from '../../../src/core/core-deps.js';
import { GatehouseError } from '../../../src/core/errors.js';
import { userPassRehash } from '../../../src/core/one-time-link.js';
import { SiteSettings } from '../../../src/core/settings/site-settings.js';
import { startTestServer, type TestServer } from '../../helpers/test-server.js';

let server: TestServer;
before(async () => { server = await startTestServer(); });
after(async () => { await server.close(); });

test('two uses of one link whose checks both read the account before either writes: one login, one "used"', async () => {
  const core = server.server.core;
  const alice = (await core.store.accounts.byName('alice', '='))!;
  // Both requests read the account, then both go on: the reads are held until both have been made.
  let waiting: Array<() => void> = [];
  const accounts = {
    ...core.store.accounts,
    byUid: async (uid: number) => {
      const row = await core.store.accounts.byUid(uid);
      await new Promise<void>((resolve) => { waiting.push(resolve); if (waiting.length === 2) { waiting.forEach((r) => r()); waiting = []; } });
      return row;
    },
  };
  const deps: CoreDeps = { ...core, store: { ...core.store, accounts } };
  const caller: Caller = { actor: anonymousActor([]), ip: '127.0.0.1', settings: SiteSettings.of({}), baseUrl: server.url, basePath: '' };
  const timestamp = core.clock.now();
  const hashedPass = userPassRehash({ passHash: alice.pass, timestamp, login: alice.login, uid: alice.uid, mail: alice.mail, hashSalt: core.keys.hashSalt });
  const link = { uid: alice.uid, timestamp, hashedPass };

  const outcomes = await Promise.allSettled([usePassResetLink(deps, caller, link), usePassResetLink(deps, caller, link)]);
  assert.equal(outcomes.filter((o) => o.status === 'fulfilled').length, 1, JSON.stringify(outcomes));
  const refused = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
  assert.ok(refused.reason instanceof GatehouseError && refused.reason.code === 'reset_link_used', String(refused.reason));
});
