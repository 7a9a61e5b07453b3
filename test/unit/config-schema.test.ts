import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { withConfigTable } from '../../src/config/config-docs.js';
import { configSchema } from '../../src/config/config-schema.js';
import { ConfigError, loadConfig } from '../../src/config/load-config.js';
import { gatehouse, ROOT } from '../helpers/cli.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-config-'));
const write = (name: string, content: unknown) => { const f = path.join(tmp, name); fs.writeFileSync(f, JSON.stringify(content)); return f; };

test('a config file with many mistakes: every one reported at once, at start', () => {
  const file = write('bad.json', {
    port: 70000, hots: 'typo', loginNameMatch: 'fuzzy', mailWorker: 'yes', cors: { origin: ['x'] },
    endpoints: [{ name: 'r', path: 'a b', formatters: ['yaml'] }], legacy: { timeoutMs: 0 },
  });
  const err = (() => { try { loadConfig({ file, env: {} }); } catch (e) { return e; } return null; })();
  assert.ok(err instanceof ConfigError);
  const expected = ['unknown key "hots"', 'port: must be <= 65535', 'loginNameMatch: must be one of "insensitive", "exact"', 'mailWorker: must be boolean',
    'cors: unknown key "origin"', 'endpoints.0.path: must match pattern', 'endpoints.0.formatters.0: must be one of', 'legacy.timeoutMs: must be >= 1'];
  for (const e of expected) assert.ok(err.problems.some((p) => p.includes(e)), `missing "${e}" in:\n${err.problems.join('\n')}`);
  const cli = gatehouse(['migrate'], { GATEHOUSE_CONFIG: file, DATABASE_URL: `sqlite:${path.join(tmp, 'x.sqlite')}`, GATEHOUSE_LOG_LEVEL: 'chatty' });
  assert.equal(cli.code, 2);
  for (const e of [...expected, 'GATEHOUSE_LOG_LEVEL must be one of']) assert.ok(cli.err.includes(e), `the CLI did not report "${e}":\n${cli.err}`);
  assert.ok(!fs.existsSync(path.join(tmp, 'x.sqlite')), 'nothing was started');
});

test('the example file and the fixtures are valid; $schema is allowed', () => {
  const example = loadConfig({ file: path.join(ROOT, 'docs/gatehouse.example.json'), env: {} });
  assert.equal(example.baseUrl, 'https://www.example.com');
  assert.equal((example as unknown as Record<string, unknown>).$schema, undefined);
  assert.equal(loadConfig({ file: path.join(ROOT, 'test/fixtures/peer-site.config.json'), env: {} }).endpoints.length, 2);
});

test('docs/config.schema.json and the table in docs/configuration.md are generated from the schema', () => {
  assert.deepEqual(JSON.parse(fs.readFileSync(path.join(ROOT, 'docs/config.schema.json'), 'utf8')), configSchema(), 'run: node --import tsx scripts/config-docs.ts');
  const doc = fs.readFileSync(path.join(ROOT, 'docs/configuration.md'), 'utf8');
  assert.equal(doc, withConfigTable(doc), 'run: node --import tsx scripts/config-docs.ts');
  for (const key of Object.keys(configSchema().properties ?? {}).filter((k) => k !== '$schema')) assert.ok(doc.includes(`| \`${key}\` |`), `${key} undocumented`);
});

test('config print: the configuration in effect with secrets masked', () => {
  const file = write('secret.json', { hashSalt: 'very-secret-salt', legacy: { databaseUrl: 'mysql://drupal:legacy-pw@db/drupal' }, webhooks: [{ url: 'https://hooks.example/in', secret: 'webhook-signing-secret' }] });
  const r = gatehouse(['config', 'print'], { GATEHOUSE_CONFIG: file, DATABASE_URL: 'postgres://gh:db-pw@127.0.0.1/gh', GATEHOUSE_SMTP_URL: 'smtp://mailer:smtp-pw@mail:587', GATEHOUSE_PORT: '9090' });
  assert.equal(r.code, 0, r.err);
  const printed = JSON.parse(r.out) as Record<string, unknown> & { legacy: Record<string, unknown> };
  assert.equal(printed.port, 9090, 'the environment is merged in');
  assert.equal(printed.databaseUrl, 'postgres://gh:***@127.0.0.1/gh');
  assert.equal(printed.hashSalt, '***');
  assert.equal(printed.legacy.databaseUrl, 'mysql://drupal:***@db/drupal');
  assert.deepEqual(printed.webhooks, [{ url: 'https://hooks.example/in', secret: '***' }]);
  assert.match(r.err, /GATEHOUSE_SMTP_URL=smtp:\/\/mailer:\*\*\*@mail:587/);
  for (const secret of ['very-secret-salt', 'legacy-pw', 'db-pw', 'smtp-pw', 'webhook-signing-secret']) assert.ok(!(r.out + r.err).includes(secret), secret);
});
