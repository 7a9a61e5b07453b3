/**
 * The account page's picture (user_account_form's Picture fieldset): upload through a multipart form, with
 * Drupal's checks and messages (is an image, user_picture_dimensions, user_picture_file_size); the file is
 * written to the public files folder as user_save names it (public://pictures/picture-<uid>-<time>.<ext>), its
 * file_managed row made permanent, served at the URL the user object gives; replaced and deleted pictures lose
 * their row and their bytes. Nothing is stored when the upload is refused.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { call } from '../../helpers/http.js';
import { png } from '../../helpers/images.js';
import { startTestServer, type TestServer } from '../../helpers/test-server.js';
import { formToken, type PageAnswer, PageClient } from './page-client.js';

let s: TestServer;
let filesDir: string;
before(async () => {
  s = await startTestServer({ settings: { user_pictures: 1 } });
  filesDir = s.server.config.publicFilesDir!;
});
after(async () => { await s?.close(); });

let n = 0;
/** A fresh account, logged in on the pages; its uid and the edit page's path. */
async function member(): Promise<{ c: PageClient; uid: number; edit: string; name: string }> {
  const name = `pic${n++}`;
  const { AccountAdmin } = await import('../../../src/core/accounts/account-admin.js');
  const account = await new AccountAdmin(s.server.core).add({ name, mail: `${name}@example.com`, password: 'secret', roles: [], status: 1 });
  const c = new PageClient(s.url);
  const login = await c.submit('/user/login', 'user-login', { name, pass: 'secret' });
  assert.equal(login.status, 303, login.text.slice(0, 300));
  return { c, uid: account.uid, edit: `/user/${account.uid}/edit`, name };
}

/** Submits the account form with a picture (and the stored mail, as the browser would send it). */
async function upload(c: PageClient, edit: string, mail: string, file: { name: string; type: string; bytes: Buffer } | null, extra: Record<string, string> = {}): Promise<PageAnswer> {
  const page = await c.get(edit);
  const files = file ? { picture_upload: file } : { picture_upload: { name: '', type: 'application/octet-stream', bytes: Buffer.alloc(0) } };
  return c.postMultipart(edit, { form_token: formToken(page.text, 'user-profile-form'), mail, ...extra }, files);
}

const accountOf = async (uid: number) => (await s.server.store.accounts.byUid(uid))!;
const onDisk = (uri: string) => path.join(filesDir, uri.replace(/^public:\/\//, ''));

describe('account picture', () => {
  it('the form is multipart and offers the upload, with the site\'s limits', async () => {
    const { c, edit } = await member();
    const page = await c.get(edit);
    assert.match(page.text, /<form method="post" action="[^"]*" id="user-profile-form" enctype="multipart\/form-data">/);
    assert.match(page.text, /<fieldset id="edit-picture"><legend>Picture<\/legend>/);
    assert.match(page.text, /<label for="edit-picture-upload">Upload picture<\/label><input type="file" id="edit-picture-upload" name="picture_upload" accept="image\/png,image\/jpeg,image\/gif" aria-describedby="edit-picture-upload-description">/);
    assert.match(page.text, /at most 85x85 pixels and 30 KB\./);
  });

  it('an upload becomes the picture: written, permanent, served at the user object\'s URL; replaced, then deleted', async () => {
    const { c, uid, edit, name } = await member();
    const first = png(40, 30);
    const saved = await upload(c, edit, `${name}@example.com`, { name: 'me.png', type: 'image/png', bytes: first });
    assert.equal(saved.status, 303, saved.text.slice(0, 500));
    const account = await accountOf(uid);
    assert.ok(account.picture > 0);
    const file = (await s.server.store.files.byFid(account.picture))!;
    assert.match(file.uri, new RegExp(`^public://pictures/picture-${uid}-\\d+\\.png$`));
    assert.deepEqual({ filename: file.filename, filemime: file.filemime, filesize: file.filesize, status: file.status, uid: file.uid },
      { filename: 'me.png', filemime: 'image/png', filesize: first.length, status: 1, uid });
    assert.deepEqual(fs.readFileSync(onDisk(file.uri)), first);

    // The user object (Services, as an administrator sees it) names the picture's URL; the server serves it.
    const login = await call(`${s.url}/rest/user/login.json`, { method: 'POST', json: { username: 'admin', password: 'admin' } });
    const cookie = `${login.json.session_name}=${login.json.sessid}`;
    const user = await call(`${s.url}/rest/user/${uid}.json`, { headers: { cookie } });
    const url = String(user.json.picture.url);
    assert.equal(url, `${s.url}/sites/default/files/pictures/${path.basename(file.uri)}`);
    const served = await fetch(url);
    assert.equal(served.status, 200);
    assert.equal(served.headers.get('content-type'), 'image/png');
    assert.equal(served.headers.get('x-content-type-options'), 'nosniff');
    assert.deepEqual(Buffer.from(await served.arrayBuffer()), first);
    const page = await c.get(edit);
    assert.match(page.text, new RegExp(`<img src="${url.replace(/[.?]/g, '\\$&')}" alt="${name}&#039;s picture"`));
    assert.match(page.text, /<input type="checkbox" id="edit-picture-delete-1" name="picture_delete" value="1">/);

    // A second upload replaces it: the first file's row and bytes go.
    const second = png(20, 20, [0, 90, 200]);
    assert.equal((await upload(c, edit, `${name}@example.com`, { name: 'me2.png', type: 'image/png', bytes: second })).status, 303);
    const replaced = await accountOf(uid);
    assert.notEqual(replaced.picture, account.picture);
    assert.equal(await s.server.store.files.byFid(account.picture), undefined);
    assert.equal(fs.existsSync(onDisk(file.uri)), false);
    const secondFile = (await s.server.store.files.byFid(replaced.picture))!;
    assert.deepEqual(fs.readFileSync(onDisk(secondFile.uri)), second);

    // Saving without choosing a file keeps it; the delete box removes it (row and bytes).
    assert.equal((await upload(c, edit, `${name}@example.com`, null)).status, 303);
    assert.equal((await accountOf(uid)).picture, replaced.picture);
    assert.equal((await upload(c, edit, `${name}@example.com`, null, { picture_delete: '1' })).status, 303);
    assert.equal((await accountOf(uid)).picture, 0);
    assert.equal(await s.server.store.files.byFid(replaced.picture), undefined);
    assert.equal(fs.existsSync(onDisk(secondFile.uri)), false);
    assert.equal((await fetch(url)).status, 404);
  });

  const refusals: Array<[string, { name: string; type: string; bytes: Buffer }, RegExp]> = [
    ['not an image', { name: 'notes.txt', type: 'text/plain', bytes: Buffer.from('hello') },
      /The specified file <em class="placeholder">notes\.txt<\/em> could not be uploaded\. Only JPEG, PNG and GIF images are allowed\./],
    ['larger than user_picture_dimensions', { name: 'big.png', type: 'image/png', bytes: png(200, 90) },
      /The specified file <em class="placeholder">big\.png<\/em> could not be uploaded\. The image is too large; the maximum dimensions are <em class="placeholder">85x85<\/em> pixels\./],
    ['over user_picture_file_size', { name: 'heavy.png', type: 'image/png', bytes: png(10, 10, [1, 2, 3], 40_000) },
      /could not be uploaded\. The file is <em class="placeholder">39\.\d+ KB<\/em> exceeding the maximum file size of <em class="placeholder">30 KB<\/em>\./],
    ['an extension file_save_upload does not take', { name: 'me.svg', type: 'image/png', bytes: png(10, 10) },
      /could not be uploaded\. Only files with the following extensions are allowed: <em class="placeholder">jpg jpeg gif png txt doc xls pdf ppt pps odt ods odp<\/em>\./],
  ];
  for (const [label, file, message] of refusals) {
    it(`refused, ${label}: Drupal's message on the field, nothing stored`, async () => {
      const { c, uid, edit, name } = await member();
      const before = fs.existsSync(filesDir) ? fs.readdirSync(filesDir, { recursive: true }).length : 0;
      const r = await upload(c, edit, `${name}@example.com`, file);
      assert.equal(r.status, 200);
      assert.match(r.text, message);
      assert.match(r.text, /id="edit-picture-upload"[^>]*aria-invalid="true"/);
      assert.equal((await accountOf(uid)).picture, 0);
      assert.equal(fs.existsSync(filesDir) ? fs.readdirSync(filesDir, { recursive: true }).length : 0, before);
    });
  }

  it('the pictures URL serves only picture files by name', async () => {
    for (const p of ['/sites/default/files/pictures/..%2Fgatehouse.sqlite', '/sites/default/files/pictures/nothing.png', '/sites/default/files/pictures/.htaccess']) {
      assert.equal((await fetch(`${s.url}${p}`)).status, 404, p);
    }
  });
});
