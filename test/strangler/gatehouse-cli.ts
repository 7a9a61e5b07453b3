import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Runs the `gatehouse` CLI from source in a child process with `env` added; its exit code and output. */
export async function runCli(env: Record<string, string>, ...args: string[]): Promise<{ code: number; out: string }> {
  const script = `const { main } = await import('./src/cli/main.ts'); await main(['node', 'gatehouse', ...${JSON.stringify(args)}]);`;
  try {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: process.cwd(), env: { ...process.env, ...env } });
    return { code: 0, out: stdout };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
}
