// Strangler mode with the account pages moved: a picture uploaded on Gatehouse's page reaches the legacy Drupal
// database as Drupal's user_save leaves it — a file_managed row under Drupal's own fid sequence (never one a
// Drupal file already holds), permanent, counted in file_usage as the account's picture, users.picture set —
// and the picture it replaced is gone from both tables.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { png } from '../helpers/images.js';
import { formToken, PageClient } from '../protocols/web/page-client.js';
import { rows } from './legacy-site.js';
import { useStranglerRig } from './strangler-server.js';

describe('strangler mode: an uploaded picture in the legacy database', () => {
  const rig = useStranglerRig('picture', {}, { webPages: ['account'] });
  before(() => rig.gate.setVariable('user_pictures', 1));

  it('lands as Drupal writes it, under a fid of Drupal\'s sequence', async () => {
    // A file Drupal made since the import (an attachment): its fid is taken on the legacy side only.
    await rig.legacy.db.query("INSERT INTO file_managed (uid, filename, uri, filemime, filesize, status, timestamp) VALUES (1, 'report.pdf', 'public://report.pdf', 'application/pdf', 10, 1, 1795821200)");
    const [{ fid: drupalFid }] = await rows(rig.legacy, "SELECT fid FROM file_managed WHERE uri = 'public://report.pdf'");
    const [{ picture: before }] = await rows(rig.legacy, 'SELECT picture FROM users WHERE uid = 2');
    assert.equal(Number(before), 1, 'alice starts with site B\'s picture, fid 1');

    const alice = new PageClient(rig.gate.url);
    assert.equal((await alice.post('/api/user/login', { username: 'alice', password: 'alicepass' })).status, 200);
    const page = await alice.get('/user/2/edit');
    assert.equal(page.status, 200, page.text.slice(0, 300));
    const bytes = png(32, 32);
    const saved = await alice.postMultipart('/user/2/edit', { form_token: formToken(page.text, 'user-profile-form'), mail: 'alice@example.test' },
      { picture_upload: { name: 'me.png', type: 'image/png', bytes } });
    assert.equal(saved.status, 303, saved.text.slice(0, 800));

    const local = (await rig.gate.server.store.accounts.byUid(2))!;
    assert.ok(local.picture > Number(drupalFid), `the new fid ${local.picture} comes after Drupal's ${drupalFid}`);
    let file: any[] = [];
    for (let i = 0; i < 50 && (file.length === 0 || Number(file[0].status) !== 1); i++) {
      file = await rows(rig.legacy, 'SELECT * FROM file_managed WHERE fid = ?', [local.picture]);
      if (file.length === 0 || Number(file[0].status) !== 1) await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(file.length, 1);
    assert.deepEqual({ uid: Number(file[0].uid), filename: file[0].filename, filemime: file[0].filemime, filesize: Number(file[0].filesize), status: Number(file[0].status) },
      { uid: 2, filename: 'me.png', filemime: 'image/png', filesize: bytes.length, status: 1 });
    assert.match(file[0].uri, /^public:\/\/pictures\/picture-2-\d+\.png$/);
    assert.equal(Number((await rows(rig.legacy, 'SELECT picture FROM users WHERE uid = 2'))[0].picture), local.picture);
    assert.deepEqual((await rows(rig.legacy, 'SELECT module, type, id, count FROM file_usage WHERE fid = ?', [local.picture])).map((r) => ({ ...r })),
      [{ module: 'user', type: 'user', id: 2, count: 1 }]);
    // user_load's join: the picture Drupal will show is the uploaded one.
    assert.equal((await rows(rig.legacy, 'SELECT f.uri FROM users u JOIN file_managed f ON f.fid = u.picture WHERE u.uid = 2'))[0].uri, file[0].uri);
    // The replaced picture (fid 1) left both tables; Drupal's attachment was not touched.
    assert.equal((await rows(rig.legacy, 'SELECT fid FROM file_managed WHERE fid = 1')).length, 0);
    assert.equal((await rows(rig.legacy, 'SELECT fid FROM file_usage WHERE fid = 1')).length, 0);
    assert.equal((await rows(rig.legacy, 'SELECT filename FROM file_managed WHERE fid = ?', [drupalFid]))[0].filename, 'report.pdf');
  });
});
