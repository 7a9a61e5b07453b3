/** `gatehouse import drupal7` from the command line: a dry run prints the summary and the cookie to set. */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { openImportTarget } from '../../src/import/drupal7/target.js';
import { DRUPAL7_SCHEMA, USER_INSERT, userRow } from './helpers/drupal7-schema.js';
import { createScratchDb } from './helpers/mariadb.js';

const run = promisify(execFile);

test('import drupal7 --dry-run prints the summary, the cookie name, and writes nothing', async () => {
  const mariadb = await createScratchDb();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gh-import-cli-'));
  try {
    await mariadb.exec(DRUPAL7_SCHEMA);
    await mariadb.exec("INSERT INTO role (rid, name, weight) VALUES (1,'anonymous user',0),(2,'authenticated user',1)");
    await mariadb.exec(USER_INSERT, [[userRow({ uid: 1, name: 'admin', pass: '', mail: 'a@b.test' })]]);
    const databaseUrl = `sqlite:${path.join(dir, 'g.sqlite')}`;
    const { stdout } = await run(process.execPath, ['--import', 'tsx', '-e', "import('./src/cli/main.ts').then((m) => m.main(['node', 'gatehouse', ...process.argv.slice(1)]))", '--',
      'import', 'drupal7', '--from', mariadb.url, '--dry-run', '--cookie-domain', '.example.test'], { env: { ...process.env, DATABASE_URL: databaseUrl } });
    assert.match(stdout, /DRY RUN/);
    assert.match(stdout, /users\s+1\s+0\s+0\s+0\s+0/);
    assert.match(stdout, /uid=1: no password hash/);
    assert.match(stdout, /No --hash-salt given/);
    assert.match(stdout, /GATEHOUSE_COOKIE_DOMAIN=\.example\.test/);
    assert.match(stdout, /SSESS574595f559df59f0217e4bc3cf2c3ce9 over HTTPS/);
    const target = await openImportTarget(databaseUrl);
    const row = await target.db.selectFrom('users').select('uid').where('uid', '=', 1).executeTakeFirst();
    await target.close();
    assert.equal(row, undefined, 'the dry run rolled back');
  } finally {
    await mariadb.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
