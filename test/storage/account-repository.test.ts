import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { NewAccount } from '../../src/core/model.js';
import { DuplicateAccountError, InvalidQueryError } from '../../src/core/ports.js';
import { siteCollation } from '../../src/core/collation/collation.js';
import { KyselyAccountRepository, reserveUids } from '../../src/storage/account-repository.js';
import { createStore } from '../../src/storage/kysely-store.js';
import { DIALECTS, dialectOptions, useDatabase } from './dialects.js';

const draft = (name: string, extra: Partial<NewAccount> = {}): NewAccount => ({
  name, pass: 'hash', mail: `${name}@example.com`, theme: '', signature: '', signature_format: null, created: 100, changed: 100,
  access: 0, login: 0, status: 1, timezone: 'UTC', language: '', picture: 0, init: `${name}@example.com`, data: null, ...extra,
});

for (const dialect of DIALECTS) {
  describe(`account repository on ${dialect}`, dialectOptions(dialect), () => {
    const t = useDatabase(dialect);

    test('the anonymous row and uid 1 named explicitly, then allocated uids continue past the largest', async () => {
      const { accounts } = t.store;
      assert.equal(await accounts.insert(draft('', { uid: 0, mail: '' })), 0);
      assert.equal(await accounts.insert(draft('', { uid: 0, mail: '' })), 0, 'the anonymous row again is a no-op');
      assert.equal(await accounts.insert(draft('first', { uid: 1 })), 1);
      assert.equal(await accounts.insert(draft('second')), 2);
      assert.equal(await accounts.insert(draft('imported', { uid: 40 })), 40);
      assert.equal(await accounts.insert(draft('after-import')), 41);
      assert.equal(await accounts.insert(draft('low-import', { uid: 10 })), 10);
      assert.equal(await accounts.insert(draft('after-low')), 42, 'an import below the top never moves the sequence back');
    });

    test('a uid is never handed out twice: deleting the newest account leaves its uid unused; reserveUids moves past a mark', async () => {
      const { accounts } = t.store;
      const a = await accounts.insert(draft('reuse-a'));
      const b = await accounts.insert(draft('reuse-b'));
      await accounts.delete(b);
      const c = await accounts.insert(draft('reuse-c'));
      assert.ok(c > b, `uid ${c} after deleting uid ${b} (from ${a})`);
      await reserveUids(t.handle.db, dialect, c + 100);
      assert.equal(await accounts.insert(draft('reuse-d')), c + 101, "after Drupal's sequences value");
      await reserveUids(t.handle.db, dialect, 1);
      assert.equal(await accounts.insert(draft('reuse-e')), c + 102, 'never back');
    });

    test('markLoggedIn is a compare-and-set on login: of two callers expecting the same value, one wins', async () => {
      const { accounts } = t.store;
      const uid = await accounts.insert(draft('cas-user', { login: 500 }));
      const both = await Promise.all([accounts.markLoggedIn(uid, 500, 600), accounts.markLoggedIn(uid, 500, 601)]);
      assert.deepEqual(both.filter(Boolean).length, 1);
      assert.ok([600, 601].includes((await accounts.byUid(uid))!.login));
      assert.equal(await accounts.markLoggedIn(uid, 500, 700), false, 'the old value is gone');
    });

    test('look-ups: by uid, by name with an exact or case-insensitive `=`, by mail; uid 0 is never found by name', async () => {
      const { accounts } = t.store;
      const uid = await accounts.insert(draft('MixedCase', { mail: 'Mixed@Example.com' }));
      const exact = new KyselyAccountRepository(t.handle.db, siteCollation('pgsql'));
      assert.equal((await accounts.byUid(uid))?.name, 'MixedCase');
      assert.equal(await exact.byName('mixedcase', '='), undefined);
      assert.equal((await exact.byName('mixedcase', 'like'))?.uid, uid);
      assert.equal((await accounts.byName('mixedcase', '='))?.uid, uid);
      assert.equal((await accounts.byMail('mixed@example.com', '='))?.uid, uid);
      assert.equal(await exact.byMail('mixed@example.com', '='), undefined);
      assert.equal(await accounts.byName('', '='), undefined);
      assert.equal(await accounts.nameTaken('MIXEDCASE'), true);
      assert.equal(await accounts.nameTaken('MIXEDCASE', uid), false);
      assert.equal(await accounts.mailTaken('MIXED@example.COM'), true);
      assert.equal(await accounts.mailTaken('MIXED@example.COM', uid), false);
    });

    test('a name taken case-insensitively is refused on insert and on update with DuplicateAccountError', async () => {
      const { accounts } = t.store;
      await accounts.insert(draft('Unique1'));
      const other = await accounts.insert(draft('unique2'));
      await assert.rejects(accounts.insert(draft('UNIQUE1', { mail: 'x@example.com' })), (e: unknown) => e instanceof DuplicateAccountError && e.field === 'name');
      await assert.rejects(accounts.update(other, { name: 'uNiQuE1' }), DuplicateAccountError);
      await accounts.update(other, { name: 'Unique2-renamed', mail: 'R@Example.com', status: 0 });
      const row = await accounts.byName('unique2-RENAMED', '=');
      assert.equal(row?.uid, other);
      assert.equal(row?.status, 0);
      assert.equal((await accounts.byMail('r@example.com', '='))?.uid, other);
    });

    test('racing inserts of one name: exactly one wins, the rest get DuplicateAccountError', async () => {
      const results = await Promise.allSettled(Array.from({ length: 12 }, (_, i) => t.store.accounts.insert(draft('racer', { mail: `racer${i}@example.com` }))));
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
      for (const r of results) if (r.status === 'rejected') assert.ok(r.reason instanceof DuplicateAccountError, String(r.reason));
    });

    test('racing inserts of one name from two pools (two instances)', async () => {
      const other = createStore((await t.another()).db);
      const stores = [t.store, other];
      const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => stores[i % 2].accounts.insert(draft('twopool', { mail: `tp${i}@example.com` }))));
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
      assert.ok(results.every((r) => r.status === 'fulfilled' || r.reason instanceof DuplicateAccountError));
    });

    test('delete removes the account and its roles', async () => {
      const { accounts, roles } = t.store;
      await roles.ensureRole({ rid: 2, name: 'authenticated user', weight: 1 });
      await roles.ensureRole({ rid: 5, name: 'editor', weight: 3 });
      const uid = await accounts.insert(draft('doomed'));
      await roles.setRoles(uid, [5]);
      await accounts.delete(uid);
      assert.equal(await accounts.byUid(uid), undefined);
      assert.deepEqual(await roles.rolesOf(uid), []);
    });

    test('list: fields, conditions, order, paging; unknown columns are an InvalidQueryError', async () => {
      const { accounts } = t.store;
      for (const n of ['list-a', 'list-b', 'list-c']) await accounts.insert(draft(n, { created: 5000 }));
      const rows = await accounts.list({ fields: ['name', 'created'], conditions: [{ column: 'created', op: '=', values: ['5000'] }], orderBy: [{ column: 'name', direction: 'DESC' }], offset: 1, limit: 5 });
      assert.deepEqual(rows.map((r) => r.name), ['list-b', 'list-a']);
      assert.equal(Number(rows[0].created), 5000);
      const like = await accounts.list({ fields: ['name'], conditions: [{ column: 'name', op: 'LIKE', values: ['list-%'] }, { column: 'name', op: 'NOT IN', values: ['list-a'] }], orderBy: [{ column: 'name', direction: 'ASC' }], offset: 0, limit: 10 });
      assert.deepEqual(like.map((r) => r.name), ['list-b', 'list-c']);
      await assert.rejects(accounts.list({ fields: ['nope'], conditions: [], orderBy: [], offset: 0, limit: 1 }), InvalidQueryError);
      await assert.rejects(accounts.list({ fields: '*', conditions: [{ column: 'pass; drop', op: '=', values: ['1'] }], orderBy: [], offset: 0, limit: 1 }), InvalidQueryError);
    });
  });
}
