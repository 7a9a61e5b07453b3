/**
 * Site B end to end: its MariaDB dump loaded, imported with the Drupal 7 import, served by Gatehouse behind a
 * TLS front (X-Forwarded-Proto from the trusted 127.0.0.1), driven over HTTPS as the site's apps do.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useSiteB } from './served.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { importSiteB } from './site-b-fixture.js';

const COOKIE = 'SSESS574595f559df59f0217e4bc3cf2c3ce9';

/** uid, name, password, active (drupal7-site-b.md); spammer (29) was deleted. */
const USERS: Array<[number, string, string, boolean]> = [
  [1, 'admin', 'B-admin-2013!', true], [2, 'alice', 'alicepass', true], [3, 'bob', 'bobpass', true], [4, 'carol', 'carolpass', false],
  [5, 'dave', 'davepass', true], [6, 'johndoe', 'johnpass', true], [7, 'José Müller', 'Jose-pass-ü1', true], [8, "o'brien", 'obrienpass', true],
  [9, 'mary ann', 'maryannpass', true], [10, 'ext.user@partner.test', 'extpass', true], [11, 'nomail', 'nomailpass', true],
  [12, 'casey', 'caseypass', true], [13, 'casey2', 'casey2pass', true], [14, 'neverlogged', 'neverpass', true],
  [15, 'legacy_wp', 'wordpress-pass', true], [16, 'legacy_phpbb', 'phpbb-pass', true], [17, 'legacy_d6', 'd6-pass', true],
  [18, 'premium_editor', 'pepass', true], [19, 'SHOUTY', 'shoutypass', true], [20, 'lucas', 'lucas-pass-1', true],
  [21, 'emma', 'emma-pass-1', true], [22, 'noah', 'noah-pass-1', true], [23, 'chloe', 'chloe-pass-1', true],
  [24, 'liam', 'liam-pass-1', true], [25, 'ines', 'ines-pass-1', true], [26, 'hugo', 'hugo-pass-1', true],
  [27, 'lea', 'lea-pass-1', false], [28, 'nathan', 'nathan-pass-1', true], [30, 'manon', 'manon-pass-1', true],
  [31, 'a_very_long_username_that_is_exactly_sixty_characters_long_', 'longpass', true], [32, 'zoe', 'zoe-pass-1', true],
];

const LIVE: Array<[number, string, string]> = [
  [2, 'haiPMRSA6CynY5VVjiErDaZFMxBJVoHUsGqHNrGEn4Y', '3b7I18kRwyZKHpasiY09dDpzgMP6sw8uRUiT9Qfu7nI'],
  [3, 'NexdE2pWWxsXU6Uj95XrTIjXkVn69aHDXVCUFb67msc', 'DiALudzTmRSQ2Yxmgby3NEpkcBESuCazJmU68yjwtuA'],
  [5, '5F0XNpIjGo73vK4Hl06TFLnagj-O5rAm6QvdDVwhHVA', '50TnEzY9IkqntBTtlfuIIhM30HMeVIsXgMHuBhw6BPo'],
  [6, 'pPLneyZzekyVmarS5aisyqFI7Xz_gcxYbIdZ_JhDmpE', 'fuyICGwfA44yXfkAYDJmkU2FAg4kgRoZfuuV2_Nw4hk'],
  [7, 'YRkz4AyBUREafS3B8W13GgAxcgBUuwqSD-8qlYY6LA4', 'w-BFm-TM9zRN8kc4D9iBMciLxqJxSlX23eNA-hx_83Q'],
];

describe('site B imported and served over HTTPS', () => {
  const site = useSiteB();
  const req = site.req;
  const alice = () => `${COOKIE}=${LIVE[0][1]}`;

  it('keeps the 5 live sessions: same account, same CSRF token', async () => {
    for (const [uid, sid, token] of LIVE) {
      const t = await req('GET', '/services/session/token', { cookie: `${COOKIE}=${sid}` });
      assert.equal(t.text, token, `token of uid ${uid}`);
      const r = await req('GET', `/api/user/${uid}`, { cookie: `${COOKIE}=${sid}` });
      assert.equal(r.status, 200);
      assert.equal(r.json.uid, String(uid));
      assert.ok('mail' in r.json, 'own account shows its mail');
      const c = await req('POST', '/api/system/connect', { body: {}, cookie: `${COOKIE}=${sid}`, token });
      assert.equal(c.json.user.uid, String(uid));
    }
    const wrong = await req('POST', '/api/system/connect', { body: {}, cookie: `${COOKIE}=${LIVE[1][1]}`, token: LIVE[0][2] });
    assert.equal(wrong.status, 401);
  });

  it('shows fields, the picture file object and custom roles in retrieve', async () => {
    const a = (await req('GET', '/api/user/2', { cookie: alice() })).json;
    assert.deepEqual(a.field_phone, { und: [{ value: '+33 6 12 34 56 78', format: null, safe_value: '+33 6 12 34 56 78' }] });
    assert.deepEqual(a.field_newsletter, { und: [{ value: '1' }] });
    assert.equal(a.picture.fid, '1');
    assert.equal(a.picture.url, 'https://www.example.test/sites/default/files/pictures/picture-2-1795821172.png');
    assert.equal(a.signature, 'Sent from my iPhone');
    assert.deepEqual(a.roles, { 2: 'authenticated user', 6: 'member' });
    const liam = (await req('GET', '/api/user/24', { cookie: alice() })).json;
    assert.deepEqual(liam.field_phone, []);
    assert.equal(liam.mail, undefined, "others' mail is hidden");
    const jose = (await req('GET', '/api/user/7', { cookie: alice() })).json;
    assert.deepEqual(jose.roles, { 2: 'authenticated user', 6: 'member', 7: 'premium' });
    const pe = (await req('GET', '/api/user/18', { cookie: alice() })).json;
    assert.deepEqual(pe.roles, { 2: 'authenticated user', 4: 'editor', 7: 'premium' });
  });

  it('logs every seeded user in with their password (blocked ones refused), with site B\'s cookie', async () => {
    for (const [uid, name, pass, active] of USERS) {
      const r = await req('POST', '/api/user/login', { body: { username: name, password: pass } });
      if (!active) { assert.equal(r.status, 403, `${name} is blocked`); continue; }
      assert.equal(r.status, 200, `${name}: ${r.reason} ${r.text.slice(0, 120)}`);
      assert.equal(r.json.user.uid, String(uid));
      assert.equal(r.json.session_name, COOKIE);
      const cookie = String(r.headers['set-cookie']);
      assert.match(cookie, /Max-Age=5000000; path=\/; domain=\.example\.test; secure; HttpOnly$/);
    }
  });

  it('refuses a registration without the required field, keyed as Drupal keys it, and stores it when given', async () => {
    const missing = await req('POST', '/api/user/register', { body: { name: 'newbie', mail: 'newbie@example.test', pass: 'newbiepass' } });
    assert.equal(missing.status, 406);
    assert.equal(missing.reason, 'Not Acceptable : Phone field is required.');
    assert.deepEqual(missing.json, { form_errors: { 'field_phone][und][0][value': 'Phone field is required.' } });
    const ok = await req('POST', '/api/user/register', {
      body: { name: 'newbie', mail: 'newbie@example.test', pass: 'newbiepass', field_phone: { und: [{ value: '+33 1 11 11 11 11' }] } },
    });
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.json.uid, '33', 'the next uid after the imported ones');
    const cookie = String(ok.headers['set-cookie']).split(';')[0];
    const me = (await req('GET', '/api/user/33', { cookie })).json;
    assert.deepEqual(me.field_phone.und[0].value, '+33 1 11 11 11 11');
    assert.deepEqual(me.field_newsletter, { und: [{ value: '0' }] }, 'the unchecked checkbox stores its off value');
  });

  it('updates fields in the checkbox and Field API shapes and removes a picture', async () => {
    const [, sid, token] = LIVE[0];
    const cookie = `${COOKIE}=${sid}`;
    const put = (body: unknown) => req('PUT', '/api/user/2', { body, cookie, token });
    assert.equal((await put({ field_newsletter: { und: null } })).status, 200);
    assert.deepEqual((await req('GET', '/api/user/2', { cookie })).json.field_newsletter, { und: [{ value: '0' }] });
    assert.equal((await put({ field_newsletter: { und: '0' } })).status, 200);
    assert.deepEqual((await req('GET', '/api/user/2', { cookie })).json.field_newsletter, { und: [{ value: '1' }] });
    const tooLong = await put({ field_phone: { und: [{ value: 'x'.repeat(33) }] } });
    assert.equal(tooLong.status, 406);
    assert.match(tooLong.json.form_errors['field_phone][und][0][value'], /cannot be longer than <em class="placeholder">32<\/em>/);
    assert.equal((await put({ signature: { value: 'Sent from Android', format: 'filtered_html' } })).status, 200);
    assert.equal((await req('GET', '/api/user/2', { cookie })).json.signature, 'Sent from Android');
    assert.equal((await put({ picture_delete: 1 })).status, 200);
    assert.equal((await req('GET', '/api/user/2', { cookie })).json.picture, null);
  });

  it('refuses e-mail login on the API as site B did, and accepts it once gatehouse_login_with_email is on', async () => {
    const byMail = { username: 'bob@example.test', password: 'bobpass' };
    assert.equal((await req('POST', '/api/user/login', { body: byMail })).status, 401);
    await site.server.setVariable('gatehouse_login_with_email', 1);
    const r = await req('POST', '/api/user/login', { body: byMail });
    assert.equal(r.status, 200);
    assert.equal(r.json.user.name, 'bob');
  });

  it('imports the messy rows with a report instead of failing', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-siteb-'));
    try {
      const { report, config } = await importSiteB(`sqlite:${path.join(dir, 'b.sqlite')}`);
      const rows = report.issues.map((i) => `${i.table} ${i.row}`);
      for (const expected of ['users uid=11', 'users uid=13', 'field_data_field_phone uid=1', 'field_data_field_phone uid=24']) {
        assert.ok(rows.includes(expected), `${expected} reported (got ${rows.join(', ')})`);
      }
      assert.equal(report.tally('file_managed').imported, 1);
      assert.deepEqual(config.endpoints?.map((e) => [e.path, e.formatters, e.authentication]), [['api', ['json', 'xml'], ['session']]]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
