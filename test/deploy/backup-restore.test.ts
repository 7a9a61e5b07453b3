/**
 * The backup and restore steps of docs/operations.md, run as written: SQLite with `gatehouse backup` while the
 * server runs and takes writes, PostgreSQL with pg_dump/pg_restore; each restored copy is served and its
 * accounts log in.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { gatehouseAsync, ROOT, serve, stop } from '../helpers/cli.js';
import { PG_URL, postgresSkipReason } from '../helpers/postgres.js';

const login = (url: string, username: string, password: string) => fetch(`${url}/rest/user/login.json`, {
  method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }),
});

/** The fenced sh block of docs/operations.md that follows `heading`, one command per line. */
function documented(heading: string): string[] {
  const doc = fs.readFileSync(path.join(ROOT, 'docs/operations.md'), 'utf8');
  const at = doc.indexOf(heading);
  assert.ok(at >= 0, `docs/operations.md has "${heading}"`);
  const block = /```sh\n([\s\S]*?)```/.exec(doc.slice(at))?.[1] ?? '';
  return block.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
}

describe('backup and restore', () => {
  let dir: string;
  before(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-backup-')); });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('SQLite: online backup while serving, restore as documented, the copy serves', async () => {
    const env = { DATABASE_URL: `sqlite:${path.join(dir, 'live', 'gatehouse.sqlite')}`, GATEHOUSE_LOG_LEVEL: 'warn', GATEHOUSE_MAIL_DIR: path.join(dir, 'mail') };
    assert.equal((await gatehouseAsync(['user', 'add', 'kept', '--mail', 'kept@example.com', '--password-stdin'], env, 'kept-pass')).code, 0);
    const server = await serve(env);
    try {
      // Writes keep coming while the backup runs.
      const writes = Promise.all(Array.from({ length: 20 }, (_, i) => login(server.url, 'kept', i % 2 ? 'kept-pass' : 'wrong')));
      const steps = documented('### SQLite: back up');
      assert.deepEqual(steps, ['gatehouse backup /var/backups/gatehouse-$(date +%F).sqlite']);
      const backupFile = path.join(dir, 'gatehouse-backup.sqlite');
      const r = await gatehouseAsync(['backup', backupFile], env);
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, /backed up .* \(\d+ pages\)/);
      await writes;
      assert.notEqual((await gatehouseAsync(['backup', backupFile], env)).code, 0, 'an existing file is not overwritten');
      // Restore (docs: stop, replace the file, remove -wal/-shm, start) into a new place.
      const restored = path.join(dir, 'restored', 'gatehouse.sqlite');
      fs.mkdirSync(path.dirname(restored));
      const restoreSteps = documented('### SQLite: restore');
      assert.ok(restoreSteps.some((s) => s.startsWith('cp ')) && restoreSteps.some((s) => s.startsWith('rm -f')), restoreSteps.join('\n'));
      fs.copyFileSync(backupFile, restored);
      for (const ext of ['-wal', '-shm']) fs.rmSync(`${restored}${ext}`, { force: true });
      const copy = await serve({ ...env, DATABASE_URL: `sqlite:${restored}` });
      try {
        assert.equal((await login(copy.url, 'kept', 'kept-pass')).status, 200);
      } finally {
        await stop(copy.child);
      }
    } finally {
      await stop(server.child);
    }
    const pgOnly = await gatehouseAsync(['backup', path.join(dir, 'x')], { ...env, DATABASE_URL: 'postgres://127.0.0.1/none' });
    assert.match(pgOnly.err, /pg_dump/);
  });

  test('PostgreSQL: pg_dump and pg_restore as documented', async (t) => {
    const skip = await postgresSkipReason();
    if (skip) { t.skip(skip); return; }
    const suffix = randomBytes(4).toString('hex');
    const names = [`gh_backup_${suffix}`, `gh_restore_${suffix}`];
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    const urlOf = (db: string) => { const u = new URL(PG_URL); u.pathname = `/${db}`; return u.toString(); };
    try {
      for (const n of names) await admin.query(`CREATE DATABASE ${n}`);
      const env = { DATABASE_URL: urlOf(names[0]), GATEHOUSE_LOG_LEVEL: 'warn', GATEHOUSE_MAIL_DIR: path.join(dir, 'pgmail') };
      assert.equal((await gatehouseAsync(['user', 'add', 'pguser', '--mail', 'pguser@example.com', '--password-stdin'], env, 'pg-pass')).code, 0);
      const dump = path.join(dir, 'gatehouse.dump');
      const [dumpStep] = documented('### PostgreSQL: back up');
      const [restoreStep] = documented('### PostgreSQL: restore');
      assert.equal(dumpStep, 'pg_dump -Fc -d "$DATABASE_URL" -f gatehouse.dump');
      assert.equal(restoreStep, 'pg_restore --clean --if-exists --no-owner -d "$DATABASE_URL" gatehouse.dump');
      execFileSync('pg_dump', ['-Fc', '-d', urlOf(names[0]), '-f', dump]);
      execFileSync('pg_restore', ['--clean', '--if-exists', '--no-owner', '-d', urlOf(names[1]), dump]);
      const copy = await serve({ ...env, DATABASE_URL: urlOf(names[1]) });
      try {
        assert.equal((await login(copy.url, 'pguser', 'pg-pass')).status, 200);
      } finally {
        await stop(copy.child);
      }
    } finally {
      for (const n of names) await admin.query(`DROP DATABASE IF EXISTS ${n} WITH (FORCE)`).catch(() => undefined);
      await admin.end();
    }
  });
});
