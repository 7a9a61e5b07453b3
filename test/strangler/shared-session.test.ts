import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { call } from '../helpers/http.js';
import { rows, SITE_B_COOKIE } from './legacy-site.js';
import { useStranglerRig } from './strangler-server.js';

describe('strangler mode: one session and one account on Gatehouse and the legacy Drupal 7 site', () => {
  const rig = useStranglerRig('session');


  let uid = 0;
  it('registers through Gatehouse under the next uid of Drupal\'s own sequence, into the legacy users table', async () => {
    const res = await call(`${rig.gate.url}/api/user/register`, { method: 'POST', json: { name: 'strangler_sam', mail: 'sam@example.test', pass: 'sam-pass-1' } });
    assert.equal(res.status, 200, res.text);
    uid = Number(res.json.uid);
    assert.equal(uid, 33, 'site B\'s sequences table is at 32');
    const [row] = await rows(rig.legacy, 'SELECT uid, name, mail, status, init, pass FROM users WHERE uid = ?', [uid]);
    assert.equal(row.name, 'strangler_sam');
    assert.equal(row.mail, 'sam@example.test');
    assert.equal(Number(row.status), 1);
    assert.match(String(row.pass), /^\$/);
    const [seq] = await rows(rig.legacy, 'SELECT MAX(value) AS v FROM sequences');
    assert.equal(Number(seq.v), 33, 'the legacy sequence moved on, so Drupal will not hand out 33 again');
  });

  let cookie = '';
  let token = '';
  it('logs in through Gatehouse, and the forwarded request is the same user on the legacy site', async () => {
    const login = await call(`${rig.gate.url}/api/user/login`, { method: 'POST', json: { username: 'strangler_sam', password: 'sam-pass-1' } });
    assert.equal(login.status, 200, login.text);
    assert.equal(login.json.session_name, SITE_B_COOKIE);
    cookie = `${login.json.session_name}=${login.json.sessid}`;
    token = login.json.token;
    const [session] = await rows(rig.legacy, 'SELECT uid FROM sessions WHERE uid = ?', [uid]);
    assert.ok(session, 'the session row is in the legacy sessions table');

    const node = await call(`${rig.gate.url}/api/node/1`, { headers: { cookie } });
    assert.equal(node.status, 200, node.text);
    assert.deepEqual([node.json.uid, node.json.name, node.json.method, node.json.path], [uid, 'strangler_sam', 'GET', '/api/node/1']);

    const page = await call(`${rig.gate.url}/node/1?x=1`, { headers: { cookie } });
    assert.deepEqual([page.json.uid, page.json.path], [uid, '/node/1?x=1']);
  });

  it('the CSRF token Gatehouse issued is valid on the legacy site, and bodies arrive intact', async () => {
    const created = await call(`${rig.gate.url}/api/node`, { method: 'POST', headers: { cookie, 'x-csrf-token': token }, json: { title: 'Hello', type: 'article' } });
    assert.equal(created.status, 200, created.text);
    assert.equal(created.json.uid, uid);
    assert.equal(created.json.method, 'POST');
    assert.equal(created.json.csrf, 'valid');
    assert.deepEqual(JSON.parse(created.json.body), { title: 'Hello', type: 'article' });
    const fromLegacy = await call(`${rig.origin.url}/services/session/token`, { headers: { cookie } });
    const fromGatehouse = await call(`${rig.gate.url}/services/session/token`, { headers: { cookie } });
    assert.equal(fromLegacy.text, fromGatehouse.text);
  });

  it('an update through Gatehouse reaches the legacy users row', async () => {
    const res = await call(`${rig.gate.url}/api/user/${uid}`, { method: 'PUT', headers: { cookie, 'x-csrf-token': token }, json: { mail: 'sam.new@example.test', current_pass: 'sam-pass-1' } });
    assert.equal(res.status, 200, res.text);
    const [row] = await rows(rig.legacy, 'SELECT mail FROM users WHERE uid = ?', [uid]);
    assert.equal(row.mail, 'sam.new@example.test');
  });

  it('logs out through Gatehouse and is anonymous on both sides', async () => {
    const out = await call(`${rig.gate.url}/api/user/logout`, { method: 'POST', headers: { cookie, 'x-csrf-token': token } });
    assert.equal(out.status, 200, out.text);
    const sid = createHash('sha256').update(cookie.split('=')[1]).digest('base64url');
    assert.equal((await rows(rig.legacy, 'SELECT sid FROM sessions WHERE sid = ?', [sid])).length, 0, 'the legacy session row is gone');
    assert.equal((await rows(rig.legacy, 'SELECT sid FROM sessions WHERE uid = ?', [uid])).length, 1, 'only the session registration opened is left');
    const legacySide = await call(`${rig.gate.url}/api/node/1`, { headers: { cookie } });
    assert.equal(legacySide.json.uid, 0);
    const gatehouseSide = await call(`${rig.gate.url}/api/system/connect`, { method: 'POST', headers: { cookie } });
    assert.equal(gatehouseSide.json.user.uid, 0);
  });
});
