import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createStore } from '../../src/storage/kysely-store.js';
import { DIALECTS, dialectOptions, useDatabase } from './dialects.js';

for (const dialect of DIALECTS) {
  describe(`variable, role and outbox repositories, transactions on ${dialect}`, dialectOptions(dialect), () => {
    const t = useDatabase(dialect);

    test('variables hold JSON values; set overwrites, setIfAbsent keeps the first, delete removes', async () => {
      const { variables } = t.store;
      await variables.set('site_name', 'One');
      await variables.set('site_name', 'Two');
      await variables.set('user_register', 1);
      await variables.set('nested', { a: [1, 'b', null], 'ü': true });
      assert.equal(await variables.get('site_name'), 'Two');
      assert.deepEqual(await variables.get('nested'), { a: [1, 'b', null], 'ü': true });
      assert.equal(await variables.get('missing'), undefined);
      const other = createStore((await t.another()).db);
      const [x, y] = await Promise.all([variables.setIfAbsent('drupal_private_key', 'first'), other.variables.setIfAbsent('drupal_private_key', 'second')]);
      assert.equal(x, y, 'both instances see the same key');
      assert.equal(await variables.setIfAbsent('user_register', 2), 1);
      await variables.delete('site_name');
      const all = await variables.all();
      assert.equal(all.site_name, undefined);
      assert.equal(all.user_register, 1);
    });

    test('roles: ensureRole is idempotent, setRoles replaces, permissions are distinct', async () => {
      const { roles } = t.store;
      await roles.ensureRole({ rid: 1, name: 'anonymous user', weight: 0 });
      await roles.ensureRole({ rid: 3, name: 'administrator', weight: 2 });
      await roles.ensureRole({ rid: 3, name: 'administrator', weight: 2 });
      await roles.ensureRole({ rid: 4, name: 'editor', weight: 2 });
      assert.deepEqual((await roles.all()).map((r) => [Number(r.rid), r.name]), [[1, 'anonymous user'], [3, 'administrator'], [4, 'editor']]);
      await roles.grant(3, ['administer users', 'access user profiles']);
      await roles.grant(4, ['access user profiles']);
      await roles.grant(4, ['access user profiles']);
      assert.deepEqual((await roles.permissionsOf([3, 4])).sort(), ['access user profiles', 'administer users']);
      assert.deepEqual(await roles.permissionsOf([]), []);
      await roles.setRoles(50, [4, 3, 4]);
      assert.deepEqual(await roles.rolesOf(50), [3, 4]);
      await roles.setRoles(50, []);
      assert.deepEqual(await roles.rolesOf(50), []);
    });

    test('outbox rows are pending and due at once', async () => {
      await t.store.outbox.enqueue({ mailId: 'user_register_no_approval_required', to: 'a@example.com', from: 'site@example.com', subject: 'Hi', body: 'Body', headers: { 'X-A': '1' } }, 777);
      const rows = await t.handle.db.selectFrom('outbox').selectAll().execute();
      assert.equal(rows.length, 1);
      assert.equal(rows[0].status, 'pending');
      assert.equal(Number(rows[0].next_attempt_at), 777);
      assert.deepEqual(JSON.parse(rows[0].headers), { 'X-A': '1' });
    });

    test('a transaction commits every write or none; nested calls join the open transaction', async () => {
      const { variables } = t.store;
      await assert.rejects(t.store.transaction(async (tx) => {
        await tx.variables.set('tx_a', 1);
        await tx.transaction(async (inner) => { await inner.variables.set('tx_b', 2); });
        throw new Error('roll back');
      }), /roll back/);
      assert.equal(await variables.get('tx_a'), undefined);
      assert.equal(await variables.get('tx_b'), undefined);
      await t.store.transaction(async (tx) => { await tx.variables.set('tx_c', 3); });
      assert.equal(await variables.get('tx_c'), 3);
      await t.store.ping();
    });
  });
}
