// Register and request_new_password answer while the SMTP server hangs: a real server process (the CLI's
// `serve`, with the outbox worker in-process, as production runs it) whose GATEHOUSE_SMTP_URL points at a
// server that accepts connections and never says a word. No timing is asserted here; the figures are in
// bench/register-hanging-smtp.ts.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../../src/storage/database.js';
import { closedPort, startMuteServer, waitFor } from './helpers.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
let child: ChildProcess;
let mute: Awaited<ReturnType<typeof startMuteServer>>;
let url = '';
let dir = '';

before(async () => {
  mute = await startMuteServer();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-hang-'));
  const port = await closedPort();
  url = `http://127.0.0.1:${port}`;
  child = spawn(process.execPath, ['--import', 'tsx', '-e', `import(${JSON.stringify(MAIN)}).then((m) => m.main(['node', 'gatehouse', 'serve']))`], {
    cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env, GATEHOUSE_HOST: '127.0.0.1', GATEHOUSE_PORT: String(port), GATEHOUSE_LOG_LEVEL: 'error', GATEHOUSE_MAIL_WORKER: '1',
      DATABASE_URL: `sqlite:${path.join(dir, 'db.sqlite')}`, GATEHOUSE_SMTP_URL: `smtp://127.0.0.1:${mute.port}`,
      GATEHOUSE_VARIABLE_user_register: '1', GATEHOUSE_VARIABLE_user_email_verification: 'false',
    },
  });
  await waitFor(async () => {
    if (child.exitCode !== null) throw new Error(`the server process exited with ${child.exitCode}`);
    try { return (await fetch(`${url}/healthz`)).ok; } catch { return false; }
  }, 30_000, 'the server process');
});

after(async () => {
  child.kill('SIGKILL');
  await mute.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function post(path: string, body: unknown): Promise<{ status: number; body: unknown }> {
  const r = await fetch(`${url}/rest/${path}.json`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  return { status: r.status, body: await r.json() };
}

it('answers register and request_new_password while the worker is stuck on a silent SMTP server', async () => {
  const first = await post('user/register', { name: 'hang0', mail: 'hang0@example.com', pass: 'pw-hang-0' });
  assert.equal(first.status, 200, JSON.stringify(first.body));
  await waitFor(() => mute.connections >= 1, 10_000, 'the worker to connect to the silent SMTP server');

  const answers = await Promise.all([
    ...[1, 2, 3, 4, 5].map((i) => post('user/register', { name: `hang${i}`, mail: `hang${i}@example.com`, pass: `pw-hang-${i}` })),
    post('user/request_new_password', { name: 'hang0' }),
  ]);
  for (const a of answers.slice(0, 5)) assert.equal(a.status, 200, JSON.stringify(a.body));
  assert.deepEqual(answers[5], { status: 200, body: [true] });

  // The SMTP server never answered: nothing was delivered, every mail waits in the outbox.
  const db = await openDatabase(`sqlite:${path.join(dir, 'db.sqlite')}`);
  try {
    const rows = await db.db.selectFrom('outbox').select(['mail_id', 'status']).execute();
    assert.equal(rows.length, 7);
    assert.ok(rows.every((r) => r.status === 'pending'), JSON.stringify(rows));
    assert.deepEqual(rows.filter((r) => r.mail_id === 'user_password_reset').length, 1);
  } finally {
    await db.close();
  }
});
