/**
 * Where a command's password comes from, safest first: a hidden prompt on a terminal, standard input
 * (`--password-stdin`, or any non-terminal stdin: `printf '%s' "$P" | gatehouse user set-password bob`), or the
 * command line (`--password`, kept for scripts and the replay recipe, with a warning: shell history and `ps`
 * show it).
 */
import readline from 'node:readline';

export interface PasswordSource { password?: string; passwordStdin?: boolean }

export async function readPassword(o: PasswordSource, what = 'password'): Promise<string> {
  if (o.password !== undefined) {
    process.stderr.write('warning: a password given on the command line is visible in shell history and to `ps`; prefer the prompt or --password-stdin\n');
    return o.password;
  }
  const password = o.passwordStdin || !process.stdin.isTTY ? await readStdin() : await promptTwice(what);
  if (password === '') throw new Error(`empty ${what}`);
  return password;
}

/** All of stdin, without the final line end (what `echo` adds). */
async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

async function promptTwice(what: string): Promise<string> {
  const first = await promptHidden(`New ${what}: `);
  const second = await promptHidden(`Repeat the ${what}: `);
  if (first !== second) throw new Error(`the two ${what}s differ`);
  return first;
}

/** One line from the terminal without echoing it. */
function promptHidden(question: string): Promise<string> {
  return new Promise((resolve) => {
    const rl = readline.createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    const rlo = rl as unknown as { _writeToOutput: (s: string) => void };
    process.stderr.write(question);
    rlo._writeToOutput = () => { /* nothing echoed */ };
    rl.question('', (answer) => { rl.close(); process.stderr.write('\n'); resolve(answer); });
  });
}
