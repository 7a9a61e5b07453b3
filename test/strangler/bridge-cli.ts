import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Runs `gatehouse bridge <command>` as an operator would, with `env` added to the environment. */
export async function bridgeCommand(command: string, env: Record<string, string>): Promise<{ code: number; out: string }> {
  const script = `const { main } = await import('./src/cli/main.ts'); await main(['node', 'gatehouse', 'bridge', ${JSON.stringify(command)}]);`;
  try {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: process.cwd(), env: { ...process.env, ...env } });
    return { code: 0, out: stdout };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
}
