/** `gatehouse serve` as a child process (the built CLI, bin/gatehouse.mjs), for signal and cluster tests. */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

const ROOT = path.resolve(new URL('../..', import.meta.url).pathname);

/** Builds dist/ when a source file is newer than it (npm test builds first; a lone test run may not have). */
export function ensureBuilt(): void {
  const built = path.join(ROOT, 'dist/cli/main.js');
  const stamp = fs.existsSync(built) ? fs.statSync(built).mtimeMs : 0;
  const newest = (dir: string): number => fs.readdirSync(dir, { withFileTypes: true }).reduce((m, e) => {
    const p = path.join(dir, e.name);
    return Math.max(m, e.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs);
  }, 0);
  if (newest(path.join(ROOT, 'src')) <= stamp) return;
  spawnSync(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'ignore' });
  if (!fs.existsSync(built)) throw new Error('dist/ is missing: run npm run build');
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address() as net.AddressInfo; s.close(() => resolve(port)); });
  });
}

export interface ServeProcess {
  child: ChildProcess;
  url: string;
  port: number;
  /** Everything written to stdout so far. */
  output(): string;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
}

export async function startServe(o: { env: Record<string, string>; args?: string[] }): Promise<ServeProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/gatehouse.mjs'), 'serve', '--host', '127.0.0.1', '--port', String(port), ...(o.args ?? [])], {
    cwd: ROOT, env: { PATH: process.env.PATH ?? '', GATEHOUSE_MAIL_WORKER: '0', ...o.env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => { out += c.toString(); });
  child.stderr!.on('data', (c: Buffer) => { out += c.toString(); });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`gatehouse serve exited early:\n${out}`);
    try { if ((await fetch(`${url}/healthz`)).ok) break; } catch { /* not listening yet */ }
    if (i > 300) { child.kill('SIGKILL'); throw new Error(`gatehouse serve did not come up:\n${out}`); }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, url, port, output: () => out, exited };
}

/** The JSON log lines printed so far. */
export function logLines(text: string): Array<Record<string, unknown>> {
  return text.split('\n').filter((l) => l.startsWith('{')).map((l) => { try { return JSON.parse(l) as Record<string, unknown>; } catch { return {}; } });
}
