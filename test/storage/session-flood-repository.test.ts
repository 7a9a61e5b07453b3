import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { SessionRecord } from '../../src/core/model.js';
import { createStore } from '../../src/storage/kysely-store.js';
import { DIALECTS, dialectOptions, useDatabase } from './dialects.js';

const session = (sid: string, extra: Partial<SessionRecord> = {}): SessionRecord => ({ sid, ssid: '', uid: 7, hostname: '10.0.0.1', timestamp: 1000, cache: 0, session: '', ...extra });

for (const dialect of DIALECTS) {
  describe(`session repository on ${dialect}`, dialectOptions(dialect), () => {
    const t = useDatabase(dialect);

    test('save inserts then updates in place; get reads it back; another pool sees it at once', async () => {
      const { sessions } = t.store;
      await sessions.save(session('s1'));
      await sessions.save(session('s1', { session: 'messages|a:0:{}', timestamp: 1200 }));
      assert.deepEqual(await sessions.get('s1'), session('s1', { session: 'messages|a:0:{}', timestamp: 1200 }));
      const other = createStore((await t.another()).db);
      assert.equal((await other.sessions.get('s1'))?.timestamp, 1200);
      await other.sessions.delete('s1');
      assert.equal(await sessions.get('s1'), undefined);
    });

    test('rekey moves a session to a new id; deleteForUser ends every session of one account', async () => {
      const { sessions } = t.store;
      await sessions.save(session('old', { uid: 0 }));
      await sessions.rekey('old', session('new', { uid: 9 }));
      assert.equal(await sessions.get('old'), undefined);
      assert.equal((await sessions.get('new'))?.uid, 9);
      await sessions.save(session('new2', { uid: 9 }));
      await sessions.save(session('keep', { uid: 10 }));
      await sessions.deleteForUser(9);
      assert.equal(await sessions.get('new'), undefined);
      assert.equal(await sessions.get('new2'), undefined);
      assert.ok(await sessions.get('keep'));
    });

    test('collectGarbage deletes rows idle since before the limit and counts them; running it twice at once is safe', async () => {
      const { sessions } = t.store;
      for (let i = 0; i < 5; i++) await sessions.save(session(`gc-old-${i}`, { timestamp: 10 }));
      await sessions.save(session('gc-fresh', { timestamp: 5000 }));
      const other = createStore((await t.another()).db);
      const [a, b] = await Promise.all([sessions.collectGarbage(100), other.sessions.collectGarbage(100)]);
      assert.equal(a + b, 5);
      assert.equal(await sessions.get('gc-old-0'), undefined);
      assert.ok(await sessions.get('gc-fresh'));
    });
  });

  describe(`flood repository on ${dialect}`, dialectOptions(dialect), () => {
    const t = useDatabase(dialect);

    test('events count within the window, per event and identifier, across pools', async () => {
      const { flood } = t.store;
      const other = createStore((await t.another()).db);
      await flood.register('failed_login_attempt_ip', '1.2.3.4', 1000, 3600);
      await other.flood.register('failed_login_attempt_ip', '1.2.3.4', 1010, 3600);
      await flood.register('failed_login_attempt_ip', '5.6.7.8', 1010, 3600);
      await other.flood.register('failed_login_attempt_user', '1.2.3.4', 1010, 3600);
      assert.equal(await flood.count('failed_login_attempt_ip', '1.2.3.4', 900), 2);
      assert.equal(await other.flood.count('failed_login_attempt_ip', '1.2.3.4', 1005), 1);
      assert.equal(await flood.count('failed_login_attempt_ip', 'nobody', 0), 0);
      await other.flood.clear('failed_login_attempt_ip', '1.2.3.4');
      assert.equal(await flood.count('failed_login_attempt_ip', '1.2.3.4', 0), 0);
      assert.equal(await flood.count('failed_login_attempt_ip', '5.6.7.8', 0), 1);
    });

    test('collectGarbage drops expired events only', async () => {
      const { flood } = t.store;
      await flood.register('gc_event', 'x', 100, 50);
      await flood.register('gc_event', 'x', 100, 5000);
      await flood.collectGarbage(200);
      assert.equal(await flood.count('gc_event', 'x', 0), 1);
    });
  });
}
