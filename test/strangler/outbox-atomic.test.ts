import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { describe, it } from 'node:test';
import { call, cookieOf } from '../helpers/http.js';
import { rows } from './legacy-site.js';
import { useStranglerRig } from './strangler-server.js';

/**
 * The write-back of a change is recorded in bridge_outbox in the same local transaction as the change: when
 * recording fails (here: the table is away, as after a crash between two statements would leave it), the
 * change is undone too — nothing is done on one side only.
 */
describe('strangler mode: a change and its write-back are committed together', () => {
  const rig = useStranglerRig('atomic');
  const local = (statement: string) => sql.raw(statement).execute(rig.gate.server.database.db);
  const connect = (cookie: string, token: string) => call(`${rig.gate.url}/api/system/connect`, { method: 'POST', headers: { cookie, 'x-csrf-token': token } });

  it('a logout whose write-back cannot be recorded ends the session on neither side', async () => {
    const reg = await call(`${rig.gate.url}/api/user/register`, { method: 'POST', json: { name: 'atomic_ann', mail: 'ann@example.test', pass: 'ann-pass-1' } });
    assert.equal(reg.status, 200, reg.text);
    const login = await call(`${rig.gate.url}/api/user/login`, { method: 'POST', json: { username: 'atomic_ann', password: 'ann-pass-1' } });
    assert.equal(login.status, 200, login.text);
    const cookie = cookieOf(login.json);
    const sid = createHash('sha256').update(String(login.json.sessid)).digest('base64url');

    await local('ALTER TABLE bridge_outbox RENAME TO bridge_outbox_away');
    try {
      const logout = await call(`${rig.gate.url}/api/user/logout`, { method: 'POST', headers: { cookie, 'x-csrf-token': login.json.token } });
      assert.notEqual(logout.status, 200, 'the logout failed as a whole');
    } finally {
      await local('ALTER TABLE bridge_outbox_away RENAME TO bridge_outbox');
    }
    const still = await connect(cookie, login.json.token);
    assert.equal(still.json.user.name, 'atomic_ann', 'the Gatehouse session was not deleted');
    assert.equal((await rows(rig.legacy, 'SELECT uid FROM sessions WHERE sid = ?', [sid])).length, 1, 'nor the legacy one');

    const logout = await call(`${rig.gate.url}/api/user/logout`, { method: 'POST', headers: { cookie, 'x-csrf-token': login.json.token } });
    assert.equal(logout.status, 200, logout.text);
    assert.equal((await connect(cookie, login.json.token)).json.user.uid, 0);
    assert.equal((await rows(rig.legacy, 'SELECT uid FROM sessions WHERE sid = ?', [sid])).length, 0, 'once recorded, both sides end it');
  });

  it('a registration whose write-back cannot be recorded leaves no account behind', async () => {
    await local('ALTER TABLE bridge_outbox RENAME TO bridge_outbox_away');
    try {
      const reg = await call(`${rig.gate.url}/api/user/register`, { method: 'POST', json: { name: 'atomic_ben', mail: 'ben@example.test', pass: 'ben-pass-1' } });
      assert.notEqual(reg.status, 200);
    } finally {
      await local('ALTER TABLE bridge_outbox_away RENAME TO bridge_outbox');
    }
    const { rows: mine } = await sql<{ uid: number }>`select uid from users where name = 'atomic_ben'`.execute(rig.gate.server.database.db);
    assert.equal(mine.length, 0, 'no local account without its write-back');
    const again = await call(`${rig.gate.url}/api/user/register`, { method: 'POST', json: { name: 'atomic_ben', mail: 'ben@example.test', pass: 'ben-pass-1' } });
    assert.equal(again.status, 200, again.text);
    const [row] = await rows(rig.legacy, 'SELECT uid FROM users WHERE name = ?', ['atomic_ben']);
    assert.equal(Number(row.uid), Number(again.json.uid));
  });
});
