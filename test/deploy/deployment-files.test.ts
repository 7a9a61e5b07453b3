/**
 * Images cannot be built here, so the deployment files are held to the commands the tests run: the
 * Dockerfile's runtime ENV and CMD, the systemd unit's ExecStart with its env example, and the compose
 * file's commands and environment start a real server (volume paths moved to a scratch folder) that answers
 * /readyz, and the Dockerfile's HEALTHCHECK passes against it.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gatehouseAsync, ROOT, serve, stop } from '../helpers/cli.js';

const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');

/** The runtime stage (after the last FROM): ENV pairs, CMD argv and the HEALTHCHECK argv. */
function dockerRuntime(): { env: Record<string, string>; cmd: string[]; healthcheck: string[]; user: string; volume: string } {
  const runtime = read('Dockerfile').split(/^FROM /m).pop()!;
  const env = Object.fromEntries([...runtime.matchAll(/^ENV (\w+)=(\S+)$/gm)].map((m) => [m[1], m[2]]));
  const json = (re: RegExp) => JSON.parse(re.exec(runtime)?.[1] ?? 'null') as string[];
  return {
    env, cmd: json(/^CMD (\[.*\])$/m), healthcheck: json(/^HEALTHCHECK .*?CMD (\[.*\])$/m),
    user: /^USER (\S+)$/m.exec(runtime)?.[1] ?? '', volume: JSON.parse(/^VOLUME (\[.*\])$/m.exec(runtime)?.[1] ?? '[]')[0] as string,
  };
}

describe('deployment files', () => {
  let dir: string;
  before(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-deploy-')); });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('Dockerfile: multi-stage, non-root, and its ENV + CMD serve with the SQLite file in the volume', async () => {
    const dockerfile = read('Dockerfile');
    assert.equal((dockerfile.match(/^FROM /gm) ?? []).length, 2, 'a build stage and a runtime stage');
    assert.match(dockerfile, /^RUN npm ci$/m);
    const d = dockerRuntime();
    assert.equal(d.user, 'node');
    assert.deepEqual(d.cmd, ['node', 'bin/gatehouse.mjs', 'serve']);
    assert.equal(d.volume, '/data');
    const volume = path.join(dir, 'data');
    const env = Object.fromEntries(Object.entries(d.env).map(([k, v]) => [k, v.replaceAll('/data', volume)]));
    assert.equal(env.DATABASE_URL, `sqlite:${volume}/gatehouse.sqlite`);
    // The young generation bounded (docs/deployment.md, Memory): the server below starts with it too.
    assert.equal(env.NODE_OPTIONS, '--max-semi-space-size=4');
    const server = await serve({ ...env, GATEHOUSE_LOG_LEVEL: 'warn' }, { mailWorker: true });
    try {
      assert.equal((await fetch(`${server.url}/readyz`)).status, 200);
      assert.ok(fs.existsSync(path.join(volume, 'gatehouse.sqlite')), 'the database is in the volume');
      const [node, ...args] = d.healthcheck;
      assert.equal(node, 'node');
      const check = spawnSync(process.execPath, args.map((a) => a.replace('127.0.0.1:8080', `127.0.0.1:${server.port}`)), { timeout: 10_000 });
      assert.equal(check.status, 0, 'the HEALTHCHECK passes');
    } finally {
      await stop(server.child);
    }
    assert.equal(spawnSync(process.execPath, d.healthcheck.slice(1).map((a) => a.replace('127.0.0.1:8080', `127.0.0.1:${server.port}`)), { timeout: 10_000 }).status, 1, 'and fails when the server is gone');
  });

  test('systemd unit: its ExecStart with the env example serves', async () => {
    const unit = read('deploy/gatehouse.service');
    const exec = /^ExecStart=(.*)$/m.exec(unit)?.[1].split(' ') ?? [];
    assert.deepEqual(exec.slice(1), dockerRuntime().cmd.slice(1), 'the unit starts what the image starts');
    assert.match(unit, new RegExp(`^Environment=NODE_OPTIONS=${dockerRuntime().env.NODE_OPTIONS}$`, 'm'), 'with the image\'s Node options');
    const start = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts.start;
    assert.ok(start.includes(`node ${dockerRuntime().env.NODE_OPTIONS} bin/gatehouse.mjs serve`), `npm start too: ${start}`);
    assert.match(unit, /^User=gatehouse$/m);
    assert.match(unit, /^KillSignal=SIGTERM$/m);
    const state = path.join(dir, 'var-lib-gatehouse');
    const env = Object.fromEntries(read('deploy/gatehouse.env.example').split('\n').filter((l) => /^[A-Z_]+=/.test(l))
      .map((l) => { const i = l.indexOf('='); return [l.slice(0, i), l.slice(i + 1).replaceAll('/var/lib/gatehouse', state)]; }));
    const server = await serve({ ...env, GATEHOUSE_LOG_LEVEL: 'warn' });
    try {
      assert.equal((await fetch(`${server.url}/readyz`)).status, 200);
      assert.ok(fs.existsSync(path.join(state, 'gatehouse.sqlite')));
    } finally {
      await stop(server.child);
    }
  });

  test('compose: instances and mail worker run the image\'s commands with a valid configuration', async () => {
    const compose = read('deploy/compose.yaml');
    assert.match(compose, /command: \["node", "bin\/gatehouse\.mjs", "serve"\]/);
    assert.match(compose, /command: \["node", "bin\/gatehouse\.mjs", "mail-worker"\]/);
    assert.match(compose, /gatehouse-1: \*gatehouse\n\s+gatehouse-2: \*gatehouse/);
    assert.match(compose, /image: postgres:/);
    const block = /environment: &gatehouse-env\n((?:\s{4}\w+: .*\n)+)/.exec(compose)?.[1] ?? '';
    const env = Object.fromEntries([...block.matchAll(/^\s+(\w+): "?([^"\n]*)"?$/gm)].map((m) => [m[1], m[2]]));
    assert.equal(env.GATEHOUSE_MAIL_WORKER, '0', 'instances leave mail to the worker service');
    const printed = await gatehouseAsync(['config', 'print'], env);
    assert.equal(printed.code, 0, printed.err);
    const config = JSON.parse(printed.out) as { databaseUrl: string; trustedProxies: string[]; mailWorker: boolean };
    assert.equal(config.databaseUrl, 'postgres://gatehouse:***@postgres:5432/gatehouse');
    assert.deepEqual(config.trustedProxies, ['172.16.0.0/12', '10.0.0.0/8', '192.168.0.0/16']);
    assert.equal(config.mailWorker, false);
    assert.match(read('deploy/nginx.conf'), /server gatehouse-1:8080[\s\S]*server gatehouse-2:8080/);
  });
});
