/**
 * The comparison rules of core/collation: utf8_general_ci folding checked character by character against a
 * running MariaDB (WEIGHT_STRING of every BMP character under utf8mb3_general_ci), and what each rule name means.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import mysql from 'mysql2/promise';
import { type Collation, collationFor, generalCiKey, siteCollation } from '../../../src/core/collation/collation.js';

const mariadb = await mysql.createConnection({ host: '127.0.0.1', port: 3306, user: 'root', database: 'test' }).catch(() => null);
const noMariadb = mariadb ? false : process.env.CI ? false : 'MariaDB is not running on 127.0.0.1:3306 (CI runs this)';

describe('utf8_general_ci', () => {
  after(async () => { await mariadb?.end(); });
  test('folds case and accents, ß to S, and weighs characters beyond the BMP as U+FFFD', () => {
    assert.equal(generalCiKey('José Müller'), generalCiKey('JOSE MULLER'));
    assert.equal(generalCiKey('straße'), 'STRASE');
    assert.notEqual(generalCiKey('æ'), generalCiKey('ae'), 'no expansions in general_ci');
    assert.equal(generalCiKey('a😀'), generalCiKey('a😺'));
  });

  test('every BMP character weighs what MariaDB says', { skip: noMariadb }, async () => {
    assert.ok(mariadb, 'MariaDB on 127.0.0.1:3306');
    const [rows] = await mariadb.query(`SELECT seq AS cp, HEX(WEIGHT_STRING(CONVERT(CHAR(seq USING ucs2) USING utf8mb3) COLLATE utf8mb3_general_ci)) AS w
      FROM seq_0_to_65535 WHERE seq NOT BETWEEN 55296 AND 57343`);
    const wrong = (rows as Array<{ cp: number; w: string }>)
      .filter((r) => generalCiKey(String.fromCharCode(Number(r.cp))).charCodeAt(0) !== Number.parseInt(r.w, 16))
      .map((r) => Number(r.cp).toString(16));
    assert.equal((rows as unknown[]).length, 63488);
    assert.deepEqual(wrong, []);
  });
});

describe('rule names', () => {
  const rule = (name: string) => collationFor(name) as Collation;
  test('general_ci: = and LIKE fold alike, = ignores trailing spaces, LIKE does not', () => {
    const c = rule('utf8mb3_general_ci');
    assert.equal(c.equality, 'key');
    assert.equal(c.equalValue('jose muller  '), c.likeKey('José Müller'));
    assert.notEqual(c.likeKey('jose muller '), c.likeKey('José Müller'));
    assert.equal(rule('utf8mb4_general_ci').approximate, false);
    assert.equal(rule('utf8mb4_unicode_ci').approximate, true);
  });
  test('binary collations compare exactly (padding aside); PostgreSQL: exact =, ILIKE; SQLite: ASCII-only LIKE', () => {
    assert.equal(rule('utf8mb4_bin').equality, 'exact');
    assert.equal(rule('utf8mb4_bin').equalValue('Alice '), 'Alice');
    assert.equal(rule('utf8mb4_0900_bin').equalValue('Alice '), 'Alice ', 'NO PAD');
    assert.equal(rule('utf8mb4_bin').likeKey('Alice'), 'Alice');
    assert.equal(rule('pgsql').equality, 'exact');
    assert.equal(rule('pgsql').likeKey('ÉMILE'), 'émile');
    assert.equal(rule('sqlite').likeKey('ÉMILE'), 'Émile');
    assert.equal(rule('lowercase').equality, 'key');
  });
  test('the default is lowercase; an unknown name is an error', () => {
    assert.equal(siteCollation(undefined).name.rule, 'lowercase');
    assert.equal(siteCollation({ name: 'utf8mb3_bin', mail: 'utf8mb3_general_ci' }).mail.rule, 'utf8mb3_general_ci');
    assert.equal(collationFor('klingon'), null);
    assert.throws(() => siteCollation('klingon'), /unknown gatehouse_collation/);
  });
});

describe('the former deployment setting loginNameMatch', () => {
  test('maps onto gatehouse_collation (exact: pgsql, insensitive: lowercase); an explicit gatehouse_collation wins', async () => {
    const { loadConfig } = await import('../../../src/config/load-config.js');
    assert.equal(loadConfig({ env: { GATEHOUSE_LOGIN_NAME_MATCH: 'exact' } }).siteDefaults.gatehouse_collation, 'pgsql');
    assert.equal(loadConfig({ env: { GATEHOUSE_LOGIN_NAME_MATCH: 'insensitive' } }).siteDefaults.gatehouse_collation, 'lowercase');
    assert.equal(loadConfig({ env: { GATEHOUSE_LOGIN_NAME_MATCH: 'exact', GATEHOUSE_VARIABLE_gatehouse_collation: 'utf8mb3_general_ci' } }).siteDefaults.gatehouse_collation, 'utf8mb3_general_ci');
    assert.equal(loadConfig({ env: {} }).siteDefaults.gatehouse_collation, undefined);
    assert.throws(() => loadConfig({ env: { GATEHOUSE_LOGIN_NAME_MATCH: 'fuzzy' } }), /replaced by the site setting gatehouse_collation/);
  });
});
