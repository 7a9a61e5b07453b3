/**
 * The collation step alone, on each kind of source: a MariaDB `users` table gives its columns' collations, a
 * PostgreSQL source `pgsql`, a SQLite source `sqlite`; the accounts Gatehouse already had are keyed again under
 * the new rule (a name equal to an earlier one under it loses its key, reported).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { collationStep } from '../../src/import/drupal7/collation.js';
import { importDrupal7 } from '../../src/import/drupal7/import-drupal7.js';
import { openSource } from '../../src/import/drupal7/source.js';
import { openImportTarget } from '../../src/import/drupal7/target.js';
import { createStore } from '../../src/storage/kysely-store.js';
import { createTestSchema, PG_URL, postgresSkipReason } from '../helpers/postgres.js';
import { createScratchDb, type ScratchDb } from './helpers/mariadb.js';

const pgSkip = await postgresSkipReason();
let dir: string;
before(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gh-collation-step-')); });
after(() => { fs.rmSync(dir, { recursive: true, force: true }); });

/** Runs only the collation step from `sourceUrl` into a fresh Gatehouse SQLite file holding `names`; returns the setting and the report. */
async function collationOf(sourceUrl: string, names: string[] = []) {
  const targetUrl = `sqlite:${path.join(dir, `${Math.random().toString(36).slice(2)}.sqlite`)}`;
  const target = await openImportTarget(targetUrl);
  const source = await openSource(sourceUrl);
  try {
    const accounts = createStore(target.db).accounts;
    for (const name of names) await accounts.insert({ name, pass: '', mail: '', theme: '', signature: '', signature_format: null, created: 0, changed: 0, access: 0, login: 0, status: 1, timezone: null, language: '', picture: 0, init: '', data: null });
    const report = await importDrupal7({ source, target, steps: [collationStep] });
    const row = await target.db.selectFrom('variable').select('value').where('name', '=', 'gatehouse_collation').executeTakeFirstOrThrow();
    const keys = await target.db.selectFrom('users').select(['name', 'name_key']).where('uid', '>', 0).where('name', '!=', 'admin').orderBy('uid').execute();
    return { setting: JSON.parse(row.value) as unknown, report, keys };
  } finally {
    await source.close();
    await target.close();
  }
}

describe('the source collation becomes the site setting', () => {
  let mariadb: ScratchDb;
  before(async () => { mariadb = await createScratchDb(); });
  after(async () => { await mariadb?.drop(); });

  test('MariaDB: the users columns\' collations; accounts Gatehouse had are keyed again', async () => {
    await mariadb.exec('CREATE TABLE users (uid int PRIMARY KEY, name varchar(60) NOT NULL, mail varchar(254)) DEFAULT CHARSET=utf8mb3 COLLATE=utf8mb3_general_ci');
    const { setting, report, keys } = await collationOf(mariadb.url, ['jose', 'José']);
    assert.equal(setting, 'utf8mb3_general_ci');
    assert.deepEqual(keys, [{ name: 'jose', name_key: 'JOSE' }, { name: 'José', name_key: null }]);
    assert.ok(report.warnings.some((w) => /name equals uid \d+'s under utf8mb3_general_ci/.test(w.reason)), JSON.stringify(report.warnings));
    await mariadb.exec('ALTER TABLE users MODIFY name varchar(60) COLLATE utf8mb4_bin NOT NULL, CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_bin');
    assert.equal((await collationOf(mariadb.url)).setting, 'utf8mb4_bin');
    await mariadb.exec('ALTER TABLE users MODIFY mail varchar(254) COLLATE utf8mb4_unicode_ci');
    const mixed = await collationOf(mariadb.url);
    assert.deepEqual(mixed.setting, { name: 'utf8mb4_bin', mail: 'utf8mb4_unicode_ci' });
    assert.ok(mixed.report.notes.some((n) => /approximates it/.test(n)));
  });

  test('SQLite source: sqlite', async () => {
    const file = path.join(dir, 'drupal.sqlite');
    const db = new SQLite(file);
    db.exec('CREATE TABLE users (uid integer PRIMARY KEY, name varchar(60), mail varchar(254))');
    db.close();
    assert.equal((await collationOf(`sqlite:${file}`)).setting, 'sqlite');
  });

  test('PostgreSQL source: pgsql', { skip: pgSkip ?? false }, async () => {
    const schema = await createTestSchema('gh_d7src');
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    try {
      await client.query(`CREATE TABLE "${schema.schema}".users (uid integer PRIMARY KEY, name varchar(60), mail varchar(254))`);
      const url = `${PG_URL}?options=${encodeURIComponent(`-c search_path=${schema.schema}`)}`;
      assert.equal((await collationOf(url)).setting, 'pgsql');
    } finally {
      await client.end();
      await schema.drop();
    }
  });
});
