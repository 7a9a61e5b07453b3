// Strangler mode with the console on: /admin/strangler shows the writes owed to the legacy Drupal database
// (what each is and for which account, never its values), waiting then refused, and delivers the waiting ones
// on demand once the legacy database takes them again; the page is audited and for administrators only.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { call } from '../helpers/http.js';
import { PageClient } from '../protocols/web/page-client.js';
import { useStranglerRig } from './strangler-server.js';

describe('strangler mode: the write-backs page', () => {
  const rig = useStranglerRig('wbpage', {}, { webPages: ['console'] });

  /** A browser logged in through the API: the pages share its session cookie. */
  const loggedIn = async (username: string, password: string) => {
    const page = new PageClient(rig.gate.url);
    const r = await page.post('/api/user/login', { username, password });
    assert.equal(r.status, 200, r.text);
    return page;
  };

  it('lists a waiting write, delivers it once Drupal takes it again, and keeps others out', async () => {
    const admin = await loggedIn('admin', 'B-admin-2013!');
    assert.match((await admin.get('/admin/strangler')).text, /Nothing is owed to the legacy database\./);
    await rig.legacy.db.query('RENAME TABLE sessions TO sessions_away');
    let alice: PageClient | undefined;
    try {
      alice = await loggedIn('alice', 'alicepass');
      const page = await admin.get('/admin/strangler');
      assert.equal(page.status, 200);
      assert.match(page.text, /<td>session\.save<\/td><td>2<\/td><td>waiting<\/td>/, 'alice\'s login session, for uid 2, waiting');
      // The structure the browser test checks on the other pages: one h1 in main, a captioned table with column
      // headers, the button named by its text.
      assert.equal(page.text.match(/<h1>/g)?.length, 1);
      assert.match(page.text, /<main id="main"><h1>Write-backs<\/h1>/);
      assert.match(page.text, /<caption>Writes owed to the legacy database[^<]*<\/caption><thead><tr><th scope="col">Id<\/th>/);
      assert.match(page.text, /<button type="submit" id="deliver-now-submit">Deliver the waiting writes now<\/button>/);
      assert.match(page.text, /[1-9][0-9]* writes? waiting for the legacy database \(last error: [^)]*sessions/);
      assert.ok(!page.text.includes(alice.header().split('=')[1]), 'no session id on the page');
    } finally {
      await rig.legacy.db.query('RENAME TABLE sessions_away TO sessions');
    }
    const delivered = await admin.submit('/admin/strangler', 'deliver-now', {});
    assert.equal(delivered.status, 303);
    const after = await admin.get('/admin/strangler');
    assert.match(after.text, /Nothing is owed to the legacy database\.|0 writes waiting/);
    assert.match(after.text, /Every waiting write has been delivered\./);
    assert.equal((await alice!.get('/admin/strangler')).status, 403);
    const audit = await call(`${rig.gate.url}/admin/audit/export?event=write_back_retry`, { headers: { cookie: admin.header() } });
    assert.match(audit.text, /"event":"write_back_retry"/);
  });
});
