// Strangler mode: a forwarded request does not reach Drupal ahead of its session's pending write-back, and
// when that write cannot be delivered yet, Drupal's `…=deleted` for the session it cannot find is not passed
// on. The gatehouse_legacy_* metrics are on the registry /metrics serves.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { call } from '../helpers/http.js';
import { SITE_B_COOKIE } from './legacy-site.js';
import { useStranglerRig } from './strangler-server.js';

/** One sample of a metric in Prometheus' text format. */
function sample(text: string, name: string): number {
  const m = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
  assert.ok(m, `${name} in /metrics:\n${text.split('\n').filter((l) => l.startsWith('gatehouse_legacy')).join('\n')}`);
  return Number(m[1]);
}

describe('strangler mode: forwarded requests and pending session write-backs', () => {
  // Retries far apart: only what the forwarding itself does can deliver a held write in time.
  const rig = useStranglerRig('fwdwb', { retryIntervalMs: 600_000 });
  const metrics = async () => (await call(`${rig.gate.url}/metrics`)).text;

  it('holds Drupal\'s deletion while the session cannot be written, delivers it before forwarding once it can', async () => {
    const reg = await call(`${rig.gate.url}/api/user/register`, { method: 'POST', json: { name: 'held_hal', mail: 'hal@example.test', pass: 'hal-pass-1' } });
    assert.equal(reg.status, 200, reg.text);
    const uid = Number(reg.json.uid);
    const delivered = sample(await metrics(), 'gatehouse_legacy_writes_delivered_total');
    assert.ok(delivered >= 1);

    // The legacy database refuses new session rows (as during an outage), while Drupal itself still answers.
    await rig.legacy.db.query("CREATE TRIGGER gh_hold_sessions BEFORE INSERT ON sessions FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'held by the test'");
    const login = await call(`${rig.gate.url}/api/user/login`, { method: 'POST', json: { username: 'held_hal', password: 'hal-pass-1' } });
    assert.equal(login.status, 200, login.text);
    const cookie = `${SITE_B_COOKIE}=${login.json.sessid}`;
    const during = await metrics();
    assert.ok(sample(during, 'gatehouse_legacy_writes_pending') >= 1, 'the login\'s writes wait');
    assert.ok(sample(during, 'gatehouse_legacy_write_failures_total') >= 1);

    const early = await call(`${rig.gate.url}/api/node/1`, { headers: { cookie } });
    assert.equal(early.json.uid, 0, 'Drupal does not have the session yet');
    assert.deepEqual(early.setCookies, [], 'its `deleted` cookie is not passed on');
    const still = await call(`${rig.gate.url}/services/session/token`, { headers: { cookie } });
    const connect = await call(`${rig.gate.url}/api/system/connect`, { method: 'POST', headers: { cookie, 'x-csrf-token': still.text } });
    assert.equal(Number(connect.json.user.uid), uid, 'the client kept a session that is valid');

    await rig.legacy.db.query('DROP TRIGGER gh_hold_sessions');
    const later = await call(`${rig.gate.url}/api/node/1`, { headers: { cookie } });
    assert.equal(later.json.uid, uid, 'the pending write-back was delivered before the request went on');
    assert.deepEqual(later.setCookies, []);
    const after = await metrics();
    assert.equal(sample(after, 'gatehouse_legacy_writes_pending'), 0);
    assert.ok(sample(after, 'gatehouse_legacy_writes_delivered_total') > delivered);
  });
});
