// The command line prints non-ASCII text as plain UTF-8 (no escapes, no mojibake), in its text and JSON output.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, test } from 'node:test';

const run = promisify(execFile);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-cli-utf8-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Runs `gatehouse <args>` from the sources; stdout as its raw bytes. */
async function gatehouse(args: string[]): Promise<Buffer> {
  const script = `const { main } = await import('./src/cli/main.ts'); await main(['node', 'gatehouse', ...${JSON.stringify(args)}]);`;
  const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: process.cwd(), encoding: 'buffer', env: { ...process.env, DATABASE_URL: `sqlite:${path.join(dir, 'cli.sqlite')}`, GATEHOUSE_LOG_LEVEL: 'warn' },
  });
  return stdout;
}

test('user add and user list print names in UTF-8, as text and as JSON', async () => {
  const name = 'José 😀 山田 محمد';
  const utf8 = Buffer.from(name, 'utf8');
  assert.ok((await gatehouse(['user', 'add', name, '--mail', 'jose@example.com', '--password', 'pässwörd'])).includes(utf8));
  const list = await gatehouse(['user', 'list']);
  assert.ok(list.includes(Buffer.from(`${name}  <jose@example.com>\n`, 'utf8')), list.toString('utf8'));
  const json = await gatehouse(['user', 'list', '--json']);
  assert.ok(json.includes(Buffer.from(`"name": "${name}"`, 'utf8')), json.toString('utf8'));
});
