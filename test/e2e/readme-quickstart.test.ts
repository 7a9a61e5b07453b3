/**
 * The README's quick start, run as written: its fenced `sh` blocks are read from README.md, the first one
 * (terminal 1) line by line with `serve` started in the background, the others as one bash session in which
 * every command's output must match the `# → …` line under it (`…` stands for anything). A README that the
 * server contradicts fails here. Substitutions, all visible below: the clone is already installed (`npm
 * install` is skipped), the port is a free one instead of 8080, the database and mail folder are temporary,
 * `PASS=` gets the password `serve` printed, and `npx gatehouse` runs this clone's bin from a scratch folder
 * (one `npx gatehouse --help` in the clone checks that npx finds the bin there).
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { BIN, gatehouse, ROOT, serve, type ServedCli, stop } from '../helpers/cli.js';

interface Step { command: string; expected: string | null }

/** The quick start's fenced sh blocks, each a list of commands with the `# →` line that follows each. */
export function quickStartBlocks(readme: string): Step[][] {
  const section = /^## Quick start\n([\s\S]*?)^## /m.exec(readme)?.[1];
  if (!section) throw new Error('README.md has no "## Quick start" section');
  return [...section.matchAll(/^```sh\n([\s\S]*?)^```/gm)].map((m) => {
    const steps: Step[] = [];
    for (const line of m[1].split('\n')) {
      const expected = /^# → (.*)$/.exec(line);
      if (expected) steps[steps.length - 1].expected = expected[1];
      else if (line.trim() !== '') steps.push({ command: line, expected: null });
    }
    return steps;
  });
}

/** `…` matches anything; everything else literally. */
function matches(actual: string, expected: string): boolean {
  const pattern = expected.split('…').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[\\s\\S]*?');
  return new RegExp(`^${pattern}$`).test(actual.trim());
}

const MARK = '@@step-done@@';

describe('README quick start', () => {
  let dir: string;
  let env: Record<string, string>;
  let server: ServedCli | undefined;
  let blocks: Step[][];
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-readme-'));
    env = { DATABASE_URL: `sqlite:${path.join(dir, 'db.sqlite')}`, GATEHOUSE_MAIL_DIR: path.join(dir, 'mail') };
    blocks = quickStartBlocks(fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8'));
  });
  after(async () => {
    if (server) await stop(server.child);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('npx finds the gatehouse command in the clone', () => {
    const r = spawnSync('npx', ['--offline', 'gatehouse', '--help'], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /Usage: gatehouse/);
  });

  test('terminal 1 then terminal 2, line by line, answer what the README shows', async () => {
    const [terminal1, ...rest] = blocks;
    assert.ok(terminal1 && rest.length >= 2, 'the quick start has a terminal 1 block and request blocks');
    let password: string | undefined;
    for (const { command } of terminal1) {
      if (command === 'npm install') continue;
      const args = /^npx gatehouse (.*)$/.exec(command)?.[1].split(' ');
      assert.ok(args, `terminal 1 runs gatehouse commands: ${command}`);
      if (args[0] === 'serve') {
        server = await serve(env, { mailWorker: true, cwd: dir });
        await new Promise((r) => setTimeout(r, 200));
        password = /password: (\S+)/.exec(server.output())?.[1];
        assert.match(server.output(), /mail transport: \.eml files in /, 'serve says where mail goes');
      } else {
        const r = gatehouse(args, env);
        assert.equal(r.code, 0, `${command}: ${r.err}`);
      }
    }
    assert.ok(server && password, 'serve started and printed the admin password');
    const steps = rest.flat();
    const port = (s: string) => s.replaceAll('127.0.0.1:8080', `127.0.0.1:${server!.port}`);
    const script = [
      'set -u',
      `npx() { if [ "$1" = gatehouse ]; then shift; node ${JSON.stringify(BIN)} "$@"; else command npx "$@"; fi; }`,
      ...steps.map((s) => `${/^PASS=/.test(s.command) ? `PASS='${password}'` : port(s.command)}\necho; echo ${MARK}`),
    ].join('\n');
    // Asynchronously: the test's own fetch connections must see the server's keep-alive closes meanwhile.
    const r = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn('bash', ['-c', script], { cwd: dir, env: { ...process.env, ...env } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => { stdout += String(d); });
      child.stderr.on('data', (d) => { stderr += String(d); });
      child.on('exit', (status) => resolve({ status, stdout, stderr }));
    });
    assert.equal(r.status, 0, r.stderr);
    const outputs = r.stdout.split(`${MARK}\n`);
    steps.forEach((s, i) => {
      if (s.expected === null) return;
      assert.ok(matches(outputs[i] ?? '', port(s.expected)), `README step\n  ${s.command}\nshows\n  ${s.expected}\nbut the server answered\n  ${outputs[i]?.trim()}`);
    });
  });

  test('the welcome mail links to a page that answers', async () => {
    assert.ok(server, 'the quick start ran');
    let mail = '';
    for (let i = 0; i < 100 && !mail; i++) {
      const files = fs.existsSync(env.GATEHOUSE_MAIL_DIR) ? fs.readdirSync(env.GATEHOUSE_MAIL_DIR) : [];
      const welcome = files.map((f) => fs.readFileSync(path.join(env.GATEHOUSE_MAIL_DIR, f), 'utf8')).find((m) => m.includes('newuser1'));
      if (welcome) mail = welcome; else await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(mail, 'the welcome mail was written');
    const text = mail.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
    // [site:login-url]; the one-time link in the same mail is used up by the login that followed (Drupal's rule).
    const login = text.match(/http:\/\/127\.0\.0\.1:\d+\/user(?![\w/])/g) ?? [];
    assert.ok(login.length > 0, `the mail links to /user: ${text}`);
    for (const url of login) {
      const res = await fetch(url);
      assert.equal(res.status, 200, url);
    }
    const page = await (await fetch(`${server.url}/user`)).text();
    assert.match(page, /used from the site's apps/);
    const list = gatehouse(['mail', 'list'], env);
    assert.match(list.out, /newuser1@example\.com/);
    assert.doesNotMatch(list.out, /\bsent\b/, 'an .eml file is not "sent"');
  });
});
