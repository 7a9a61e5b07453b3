import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { call, cookieOf } from '../helpers/http.js';
import { rows } from './legacy-site.js';
import { useStranglerRig } from './strangler-server.js';

/**
 * Changes made on Drupal's own pages land in the legacy tables only; here they are made there directly, and
 * Gatehouse must see them at the next login and at the next request of a session. Site B's accounts were
 * never imported into this Gatehouse: they appear from the legacy rows alone.
 */
describe('strangler mode: what Drupal changes in its own tables takes effect on Gatehouse', () => {
  const rig = useStranglerRig('fresh');
  const login = (username: string, password: string) => call(`${rig.gate.url}/api/user/login`, { method: 'POST', json: { username, password } });
  const connect = (cookie: string, token: string) => call(`${rig.gate.url}/api/system/connect`, { method: 'POST', headers: { cookie, 'x-csrf-token': token } });
  const legacy = (statement: string, params: unknown[] = []) => rows(rig.legacy, statement, params);

  let alice = { cookie: '', token: '' };
  it('an account only the legacy site has logs in through Gatehouse, with its roles', async () => {
    const res = await login('alice', 'alicepass');
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.user.uid, '2');
    assert.equal(res.json.user.mail, 'alice@example.test');
    assert.deepEqual(Object.keys(res.json.user.roles).sort(), ['2', '6']);
    assert.equal(res.json.user.roles['6'], 'member', 'the role was created from the legacy role table');
    alice = { cookie: cookieOf(res.json), token: res.json.token };
  });

  it('a role given on the legacy site shows at the session\'s next request', async () => {
    await legacy('INSERT INTO users_roles (uid, rid) VALUES (2, 7)');
    const res = await connect(alice.cookie, alice.token);
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(Object.keys(res.json.user.roles).sort(), ['2', '6', '7']);
    await legacy('DELETE FROM users_roles WHERE uid = 2 AND rid = 6');
    const again = await login('alice', 'alicepass');
    assert.deepEqual(Object.keys(again.json.user.roles).sort(), ['2', '7'], 'and a role taken away at the next login');
  });

  it('a name and mail changed on the legacy site are the ones Gatehouse logs in with and shows', async () => {
    await legacy("UPDATE users SET name = 'alice_renamed', mail = 'alice.new@example.test' WHERE uid = 2");
    const res = await login('alice_renamed', 'alicepass');
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.user.name, 'alice_renamed');
    assert.equal(res.json.user.mail, 'alice.new@example.test');
    alice = { cookie: cookieOf(res.json), token: res.json.token };
    assert.equal((await login('alice', 'alicepass')).status, 401, 'the old name is gone');
  });

  it('a block on the legacy site ends the session at its next request and refuses the next login', async () => {
    await legacy('UPDATE users SET status = 0 WHERE uid = 2');
    const res = await connect(alice.cookie, alice.token);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.user.uid, 0, 'the session reads as anonymous');
    const refused = await login('alice_renamed', 'alicepass');
    assert.equal(refused.status, 403, refused.text);
    await legacy('UPDATE users SET status = 1 WHERE uid = 2');
    assert.equal((await login('alice_renamed', 'alicepass')).status, 200, 'unblocked on the legacy site, unblocked here');
  });

  it('an account created on the legacy site logs in through Gatehouse and can be retrieved', async () => {
    const [bob] = await legacy('SELECT pass FROM users WHERE uid = 3');
    await legacy('INSERT INTO sequences () VALUES ()');
    const [seq] = await legacy('SELECT MAX(value) AS v FROM sequences');
    const uid = Number(seq.v);
    const now = Math.floor(Date.now() / 1000);
    await legacy(`INSERT INTO users (uid, name, pass, mail, theme, signature, signature_format, created, access, login, status, timezone, language, picture, init, data)
      VALUES (?, 'drupal_made', ?, 'made@example.test', '', '', NULL, ?, 0, 0, 1, 'Europe/Paris', '', 0, 'made@example.test', NULL)`, [uid, bob.pass, now]);
    await legacy('INSERT INTO users_roles (uid, rid) VALUES (?, 4)', [uid]);
    const res = await login('drupal_made', 'bobpass');
    assert.equal(res.status, 200, res.text);
    assert.equal(Number(res.json.user.uid), uid);
    assert.equal(res.json.user.roles['4'], 'editor');
    const own = await call(`${rig.gate.url}/api/user/${uid}`, { headers: { cookie: cookieOf(res.json) } });
    assert.equal(own.status, 200, own.text);
    assert.equal(own.json.name, 'drupal_made');
    assert.equal(own.json.mail, 'made@example.test');
  });

  it('a name or mail only an account made on Drupal holds is taken for a registration through Gatehouse', async () => {
    const name = await call(`${rig.gate.url}/api/user/register`, { method: 'POST', json: { name: 'carol', mail: 'not.carol@example.test', pass: 'carol-pass-2' } });
    assert.equal(name.status, 406, name.text);
    assert.match(name.json.form_errors.name, /is already taken/);
    const mail = await call(`${rig.gate.url}/api/user/register`, { method: 'POST', json: { name: 'not_dave', mail: 'dave@example.test', pass: 'dave-pass-2' } });
    assert.equal(mail.status, 406, mail.text);
    assert.match(mail.json.form_errors.mail, /is already registered/);
  });

  it('a change Gatehouse still owes the legacy database is not undone by the older legacy row', async () => {
    assert.equal((await login('bob', 'bobpass')).status, 200);
    await legacy('RENAME TABLE sessions TO sessions_away');
    const again = await login('bob', 'bobpass');
    assert.equal(again.status, 200);
    await legacy("UPDATE users SET mail = 'bob.elsewhere@example.test' WHERE uid = 3");
    const connected = await connect(cookieOf(again.json), again.json.token);
    assert.equal(connected.json.user.mail, 'bob@example.test', 'the session write of uid 3 is still owed: Gatehouse keeps its row');
    await legacy('RENAME TABLE sessions_away TO sessions');
  });
});
