/**
 * Names and mails under the site's comparison rule, in storage, on SQLite and PostgreSQL: every look-up the
 * core makes runs on an index (so 1M accounts stay fast; checked on the query plan of the very SQL the
 * repository sends), keys follow a change of rule, and a mail key is unique except for legacy duplicates.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type CompiledQuery as Compiled, CompiledQuery, type Kysely, type KyselyPlugin, sql } from 'kysely';
import { type SiteCollation, siteCollation } from '../../src/core/collation/collation.js';
import type { NewAccount } from '../../src/core/model.js';
import { DuplicateAccountError } from '../../src/core/ports.js';
import { ensureAccountKeys } from '../../src/storage/account-keys.js';
import { KyselyAccountRepository } from '../../src/storage/account-repository.js';
import type { DialectName } from '../../src/storage/database.js';
import type { Database } from '../../src/storage/schema.js';
import { DIALECTS, dialectOptions, useDatabase } from './dialects.js';

const draft = (name: string, mail: string): NewAccount => ({
  name, pass: 'hash', mail, theme: '', signature: '', signature_format: null, created: 100, changed: 100,
  access: 0, login: 0, status: 1, timezone: 'UTC', language: '', picture: 0, init: mail, data: null,
});
const rule = (name: string): SiteCollation => siteCollation(name);

/** A repository whose every statement is kept (compiled) for EXPLAIN. */
function recorded(db: Kysely<Database>, collation: SiteCollation): { repo: KyselyAccountRepository; seen: Compiled[] } {
  const seen: Compiled[] = [];
  const plugin: KyselyPlugin = {
    transformQuery: (args) => { seen.push(db.getExecutor().compileQuery(args.node, args.queryId)); return args.node; },
    transformResult: async (args) => args.result,
  };
  return { repo: new KyselyAccountRepository(db.withPlugin(plugin), collation), seen };
}

/** The query plan of a statement, as text; PostgreSQL is told to avoid sequential scans wherever an index can serve. */
async function plan(db: Kysely<Database>, dialect: DialectName, q: Compiled): Promise<string> {
  if (dialect === 'sqlite') {
    const { rows } = await db.executeQuery<{ detail: string }>(CompiledQuery.raw(`EXPLAIN QUERY PLAN ${q.sql}`, [...q.parameters]));
    return rows.map((r) => r.detail).join('\n');
  }
  return db.transaction().execute(async (trx) => {
    await sql`set local enable_seqscan = off`.execute(trx);
    const { rows } = await trx.executeQuery<{ 'QUERY PLAN': string }>(CompiledQuery.raw(`EXPLAIN ${q.sql}`, [...q.parameters]));
    return rows.map((r) => r['QUERY PLAN']).join('\n');
  });
}

for (const dialect of DIALECTS) {
  describe(`names and mails under the site's rule on ${dialect}`, dialectOptions(dialect), () => {
    const t = useDatabase(dialect);

    for (const [name, nameIndex, mailIndex] of [['utf8mb3_general_ci', 'users_name_key', 'users_mail_key'], ['pgsql', 'users_name', 'users_mail']] as const) {
      test(`${name}: every name/mail look-up uses an index`, async () => {
        const { repo, seen } = recorded(t.handle.db, rule(name));
        const cases: Array<[string, () => Promise<unknown>, string]> = [
          ['byName =', () => repo.byName('Someone', '='), nameIndex],
          ['byName like', () => repo.byName('Someone', 'like'), 'users_name_key'],
          ['byMail =', () => repo.byMail('some@example.com', '='), mailIndex],
          ['nameTaken', () => repo.nameTaken('Someone', 5), 'users_name_key'],
          ['mailTaken', () => repo.mailTaken('some@example.com', 5), 'users_mail_key'],
          ['index filter name', () => repo.list({ fields: ['uid'], conditions: [{ column: 'name', op: 'IN', values: ['a', 'b'] }], orderBy: [], offset: 0, limit: 20 }), nameIndex],
          ['index filter mail', () => repo.list({ fields: ['uid'], conditions: [{ column: 'mail', op: '=', values: ['a@example.com'] }], orderBy: [], offset: 0, limit: 20 }), mailIndex],
        ];
        for (const [label, run, index] of cases) {
          seen.length = 0;
          await run();
          assert.equal(seen.length, 1, label);
          const text = await plan(t.handle.db, dialect, seen[0]);
          // users_*_key_uid (PostgreSQL, migration 009) is the same key with the uid after it: an index on the key too.
          assert.match(text, new RegExp(`\\b${index}(_uid)?\\b`), `${label}: expected ${index} in the plan of ${seen[0].sql}:\n${text}`);
        }
      });
    }

    test('a mail key is unique: a second account with the address in another case is refused (DuplicateAccountError mail)', async () => {
      const repo = new KyselyAccountRepository(t.handle.db, rule('utf8mb3_general_ci'));
      await repo.insert(draft('uniq-mail-1', 'Uniq.Mail@Example.com'));
      await assert.rejects(repo.insert(draft('uniq-mail-2', 'UNIQ.MAIL@example.COM')), (e: unknown) => e instanceof DuplicateAccountError && e.field === 'mail');
      const other = await repo.insert(draft('uniq-mail-3', 'other.mail@example.com'));
      await assert.rejects(repo.update(other, { mail: 'uniq.mail@example.com' }), (e: unknown) => e instanceof DuplicateAccountError && e.field === 'mail');
    });

    test('a legacy duplicate loads and saves; taking a free address moves it under the unique index', async () => {
      const repo = new KyselyAccountRepository(t.handle.db, rule('utf8mb3_general_ci'));
      const first = await repo.insert(draft('legacy-first', 'legacy.dup@example.com'));
      const second = await t.handle.db.insertInto('users').values({ ...draft('legacy-second', 'Legacy.Dup@example.com'), name_key: 'LEGACY-SECOND', mail_key: 'LEGACY.DUP@EXAMPLE.COM', mail_shared: 1 })
        .returning('uid').executeTakeFirstOrThrow();
      const uid = Number(second.uid);
      assert.equal((await repo.byName('LEGACY-SECOND', '='))?.uid, uid);
      await repo.update(uid, { signature: 'still works', mail: 'Legacy.Dup@example.com' });
      assert.equal((await t.handle.db.selectFrom('users').select('mail_shared').where('uid', '=', uid).executeTakeFirstOrThrow()).mail_shared, 1, 'same address: still shared');
      assert.equal((await repo.byMail('LEGACY.DUP@example.com', '='))?.uid, first, 'the lowest uid first');
      await repo.update(uid, { mail: 'legacy.own@example.com' });
      assert.equal((await t.handle.db.selectFrom('users').select('mail_shared').where('uid', '=', uid).executeTakeFirstOrThrow()).mail_shared, 0);
      await assert.rejects(repo.insert(draft('legacy-third', 'LEGACY.OWN@example.com')), DuplicateAccountError);
    });

    test('a change of rule keys every account again: later clashing names lose their key, later mails become shared', async () => {
      const db = t.handle.db;
      const lower = new KyselyAccountRepository(db, rule('lowercase'));
      const a = await lower.insert(draft('rekey josé', 'rekey.jose@example.com'));
      const b = await lower.insert(draft('rekey jose', 'rekey.josé@example.com'));
      await db.insertInto('variable').values({ name: 'gatehouse_collation_keys', value: '"lower"' }).onConflict((oc) => oc.column('name').doUpdateSet({ value: '"lower"' })).execute();
      const general = rule('utf8mb3_general_ci');
      const result = await ensureAccountKeys(db, general);
      assert.ok(result && result.nameClashes.some((c) => c.uid === b && c.holder === a), JSON.stringify(result?.nameClashes));
      assert.equal(await ensureAccountKeys(db, general), null, 'nothing to do the second time');
      const repo = new KyselyAccountRepository(db, general);
      assert.equal((await repo.byName('REKEY JOSE', '='))?.uid, a);
      const row = await db.selectFrom('users').select(['name_key', 'mail_key', 'mail_shared']).where('uid', '=', b).executeTakeFirstOrThrow();
      assert.deepEqual(row, { name_key: null, mail_key: 'REKEY.JOSE@EXAMPLE.COM', mail_shared: 1 });
      assert.ok(await repo.mailTaken('Rekey.Jose@example.com'));
    });
  });
}
