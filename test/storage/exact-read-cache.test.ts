/**
 * On SQLite the read cache is exact: it keeps sessions, accounts, roles and settings until the database
 * changes — by this connection or by any other process on the file — and never longer.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { KyselyPlugin } from 'kysely';
import type { Store } from '../../src/core/ports.js';
import type { Account, SessionRecord } from '../../src/core/model.js';
import { type DatabaseHandle, openDatabase } from '../../src/storage/database.js';
import { createStore } from '../../src/storage/kysely-store.js';
import { migrateToLatest } from '../../src/storage/migrate.js';
import { ReadCache } from '../../src/storage/read-cache.js';

/** Counts the queries a Kysely instance runs. */
function queryCounter(): KyselyPlugin & { count: number } {
  const counter = {
    count: 0,
    transformQuery: (args: { node: never }) => args.node,
    transformResult: async (args: { result: never }) => { counter.count++; return args.result; },
  };
  return counter as unknown as KyselyPlugin & { count: number };
}

/** Another process's commit is seen from the next turn of the event loop (as a new request always is). */
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

const session = (sid: string, uid: number): SessionRecord => ({ sid, ssid: '', uid, hostname: '10.0.0.1', timestamp: 1000, cache: 0, session: '' });
const account = (uid: number, name: string) => ({ uid, name, pass: '', mail: `${name}@example.com`, theme: '', signature: '', signature_format: null, created: 1, changed: 1, access: 0, login: 0, status: 1, timezone: null, language: '', picture: 0, init: '', data: null });

describe('the exact read cache on SQLite', () => {
  let dir = '';
  let a: DatabaseHandle;
  let b: DatabaseHandle;
  let storeA: Store;
  let storeB: Store;
  const counted = queryCounter();

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-exact-cache-'));
    const file = `sqlite:${path.join(dir, 'db.sqlite')}`;
    a = await openDatabase(file);
    await migrateToLatest(a.db, a.dialect);
    b = await openDatabase(file); // another process on the same file, as `serve --workers 2` runs
    storeA = createStore(a.db.withPlugin(counted), new ReadCache({ changeVersion: a.changeVersion }));
    storeB = createStore(b.db, new ReadCache({ changeVersion: b.changeVersion }));
    await storeA.accounts.insert(account(7, 'seven') as Account);
    await storeA.sessions.save(session('s7', 7));
  });
  after(async () => {
    await a.close();
    await b.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('repeated lookups of a session, an account and its roles run no query until something changes', async () => {
    await storeA.sessions.get('s7');
    await storeA.accounts.byUid(7);
    await storeA.roles.rolesOf(7);
    const before = counted.count;
    for (let i = 0; i < 5; i++) {
      assert.equal((await storeA.sessions.get('s7'))?.uid, 7);
      assert.equal((await storeA.accounts.byUid(7))?.name, 'seven');
      assert.deepEqual(await storeA.roles.rolesOf(7), []);
    }
    assert.equal(counted.count, before, 'served from the cache');
    await storeA.variables.set('site_name', 'x'); // any write through this connection
    await storeA.sessions.get('s7');
    assert.equal(counted.count, before + 2, 'the write, then a fresh read');
  });

  test('each caller gets its own copy: changing one does not change the cache', async () => {
    const first = await storeA.accounts.byUid(7);
    (first as { name: string }).name = 'changed in memory';
    assert.equal((await storeA.accounts.byUid(7))?.name, 'seven');
    const roles = await storeA.roles.rolesOf(7);
    roles.push(99);
    assert.deepEqual(await storeA.roles.rolesOf(7), []);
  });

  test('another process on the file logs the session out, blocks the account, grants a role: seen at once', async () => {
    assert.equal((await storeA.sessions.get('s7'))?.uid, 7);
    assert.equal((await storeA.accounts.byUid(7))?.status, 1);
    await storeB.sessions.delete('s7');
    await nextTurn();
    assert.equal(await storeA.sessions.get('s7'), undefined, 'logout on B ends the session on A');
    await storeB.accounts.update(7, { status: 0 });
    await nextTurn();
    assert.equal((await storeA.accounts.byUid(7))?.status, 0, 'blocked on B, blocked on A');
    await storeB.roles.ensureRole({ rid: 5, name: 'editor', weight: 5 });
    await storeB.roles.setRoles(7, [5]);
    await storeB.roles.grant(5, ['edit things']);
    await nextTurn();
    assert.deepEqual(await storeA.roles.rolesOf(7), [5]);
    assert.deepEqual(await storeA.roles.permissionsOf([5]), ['edit things']);
    await storeB.variables.set('user_register', 0);
    await nextTurn();
    assert.equal((await storeA.variables.all()).user_register, 0, 'a setting changed on B, no TTL to wait for');
  });

  test('a rolled-back transaction leaves nothing behind in the cache, even what it read', async () => {
    await storeA.accounts.update(7, { status: 1 });
    await assert.rejects(storeA.transaction(async (tx) => {
      await tx.accounts.update(7, { name: 'never' });
      assert.equal((await tx.accounts.byUid(7))?.name, 'never', 'the transaction sees its own write');
      throw new Error('roll back');
    }), /roll back/);
    assert.equal((await storeA.accounts.byUid(7))?.name, 'seven');
  });

  test('a miss is not kept: a session created later is found', async () => {
    assert.equal(await storeA.sessions.get('later'), undefined);
    await storeB.sessions.save(session('later', 7));
    await nextTurn();
    assert.equal((await storeA.sessions.get('later'))?.uid, 7);
  });
});
