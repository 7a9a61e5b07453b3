/**
 * `gatehouse client …`: the SDK from the command line. Every command can print the numbered request
 * sequence it performed (`--trace`), log in first (`--user/--password`), and keep cookies and the CSRF
 * token in a state file (`--state FILE`) so that commands chain across invocations.
 * `gatehouse client diff --a URL --b URL` compares two servers' answers to the same sequences.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { diffServers, renderDiffReport, DIFF_SEQUENCES } from '../../client/diff.js';
import { GatehouseClientError } from '../../client/errors.js';
import { Trace } from '../../client/trace.js';
import type { NodeClient, NodeClientState, NodeDrupal8ClientState } from '../../client/node.js';
import { type D8Action, D8_COMMANDS } from './client-d8.js';
import type { LoginApiVersion, NewAccount, UserUpdate } from '../../client/types.js';
import { parseResetLink } from '../../client/url.js';

export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  setExitCode(code: number): void;
}

const processIO: CliIO = {
  out: (t) => void process.stdout.write(t),
  err: (t) => void process.stderr.write(t),
  setExitCode: (c) => void (process.exitCode = c),
};

interface CommonOpts {
  url?: string;
  endpoint: string;
  trace?: boolean;
  traceFull?: boolean;
  state?: string;
  user?: string;
  password?: string;
  loginVersion?: string;
  dialect?: string;
}

const collect = (v: string, prev: string[]) => [...prev, v];

function common(cmd: Command): Command {
  return cmd
    .option('--url <url>', 'site base URL, e.g. http://127.0.0.1:8080 (or taken from --state)')
    .option('--endpoint <path>', 'Services endpoint path', 'rest')
    .option('--trace', 'print the numbered request sequence')
    .option('--trace-full', 'with --trace: whole bodies, unmasked passwords, Accept/version headers')
    .option('--state <file>', 'cookie jar + token file, read before and written after the command')
    .option('--user <name>', 'log in as this user first')
    .option('--password <pass>', 'password of --user')
    .option('--login-version <v>', 'login/logout API version: 1.0 or 1.1')
    .option('--dialect <d>', 'services (Drupal 7 Services 3.x, default) or d8 (Drupal 8+ core REST)', 'services');
}

function pairs(list: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const kv of list) {
    const i = kv.indexOf('=');
    if (i <= 0) throw new Error(`expected key=value, got "${kv}"`);
    out[kv.slice(0, i)] = kv.slice(i + 1);
  }
  return out;
}

function loadState(file: string | undefined): NodeClientState | NodeDrupal8ClientState | undefined {
  if (!file || !existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as NodeClientState | NodeDrupal8ClientState;
}

type Action = (c: NodeClient) => Promise<unknown>;

/** Runs one command: client setup (state, login), the action, trace and result output, state save. */
async function run(io: CliIO, opts: CommonOpts, action: Action | { d8: D8Action }, loginFirst = true): Promise<void> {
  const state = loadState(opts.state);
  const url = opts.url ?? state?.baseUrl;
  if (!url) throw new Error('--url is required (or a --state file that has one)');
  const version = opts.loginVersion as LoginApiVersion | undefined;
  if (version && version !== '1.0' && version !== '1.1') throw new Error('--login-version must be 1.0 or 1.1');
  const same = state !== undefined && state.baseUrl.replace(/\/+$/, '') === url.replace(/\/+$/, '');
  const trace = new Trace(same ? (state.exchanges ?? 0) : 0);
  // Loaded on use: the HTTP client stack (undici, tough-cookie) stays out of every other command's start.
  const { createNodeClient, NodeDrupal8Client } = await import('../../client/node.js');
  const client = 'd8' in action
    ? new NodeDrupal8Client({ baseUrl: url, trace })
    : createNodeClient({ baseUrl: url, endpoint: opts.endpoint ?? (state as NodeClientState | undefined)?.endpoint, loginApiVersion: version, trace });
  if (same) await (client instanceof NodeDrupal8Client ? client.loadState(state as NodeDrupal8ClientState) : client.loadState(state as NodeClientState));
  let result: unknown;
  let failure: unknown;
  try {
    if (loginFirst && opts.user) await client.login(opts.user, opts.password ?? '');
    result = 'd8' in action ? await action.d8(client as InstanceType<typeof NodeDrupal8Client>) : await action(client as NodeClient);
  } catch (err) {
    failure = err;
  }
  if (opts.state) writeFileSync(opts.state, `${JSON.stringify(await client.saveState(), null, 2)}\n`, { mode: 0o600 });
  if (opts.trace && client.trace) {
    const full = opts.traceFull === true;
    io.out(`${client.trace.render({ maxBody: full ? 0 : 160, redactPasswords: !full, allHeaders: full })}\n`);
  }
  if (failure instanceof GatehouseClientError) {
    // Drupal 8+ gives only the standard reason phrase: its message is in the body.
    io.err(`error: ${'d8' in action ? failure.message : `${failure.status} ${failure.reasonPhrase || failure.serviceMessage}`}\n`);
    if (failure.formErrors) io.err(`${JSON.stringify({ form_errors: failure.formErrors }, null, 2)}\n`);
    io.setExitCode(1);
    return;
  }
  if (failure) throw failure;
  if (result !== undefined) io.out(`${typeof result === 'string' ? result : JSON.stringify(result, null, 2)}\n`);
}

/** Adds `client` and its subcommands to `program` (the main `gatehouse` CLI, or `runClientCli`'s own). */
export function registerClientCommands(program: Command, io: CliIO = processIO): void {
  const client = program.command('client').description('talk to a Drupal 7 Services / Gatehouse endpoint (SDK commands)');
  const leaf = (parent: Command, name: string, description: string) => common(parent.command(name).description(description));
  const act = (fn: (args: string[], opts: Record<string, unknown>) => Action, loginFirst = true) =>
    async (...args: unknown[]) => {
      const cmd = args[args.length - 1] as Command;
      const opts = cmd.optsWithGlobals() as CommonOpts & Record<string, unknown>;
      const positional = args.slice(0, -2) as string[];
      if (opts.dialect !== undefined && opts.dialect !== 'services') {
        if (opts.dialect !== 'd8') throw new Error('--dialect must be services or d8');
        const parent = cmd.parent && cmd.parent.name() !== 'client' ? `${cmd.parent.name()} ` : '';
        const d8 = D8_COMMANDS[`${parent}${cmd.name()}`];
        if (!d8) throw new Error(`${parent}${cmd.name()} has no Drupal 8+ counterpart`);
        return run(io, opts, { d8: d8(positional, opts, pairs) }, loginFirst);
      }
      await run(io, opts, fn(positional, opts), loginFirst);
    };

  leaf(client, 'connect', 'POST {endpoint}/system/connect').action(act(() => (c) => c.connect()));
  leaf(client, 'whoami', 'the session user (system/connect)').action(act(() => (c) => c.whoami()));
  leaf(client, 'login', 'POST {endpoint}/user/login with --user/--password')
    .action(act((_, o) => (c) => {
      if (!o.user) throw new Error('login needs --user and --password');
      return c.login(String(o.user), String(o.password ?? ''));
    }, false));
  leaf(client, 'logout', 'POST {endpoint}/user/logout').action(act(() => (c) => c.logout()));
  leaf(client, 'token', 'GET /services/session/token (--action: POST {endpoint}/user/token)')
    .option('--action', 'use the user/token action instead')
    .action(act((_, o) => (c) => (o.action ? c.userToken() : c.token())));
  leaf(client, 'register', 'connect → token → POST {endpoint}/user/register → token')
    .requiredOption('--name <name>', 'new account name')
    .requiredOption('--mail <mail>', 'new account e-mail')
    .option('--pass <pass>', 'new account password')
    .option('--field <key=value>', 'extra account field (repeatable)', collect, [])
    .action(act((_, o) => (c) => {
      const account: NewAccount = { ...pairs(o.field as string[]), name: String(o.name), mail: String(o.mail) };
      if (o.pass !== undefined) account.pass = String(o.pass);
      return c.register(account);
    }));

  const user = client.command('user').description('the user resource');
  leaf(user, 'get', 'GET {endpoint}/user/{uid}').argument('<uid>').action(act(([uid]) => (c) => c.users.retrieve(uid)));
  leaf(user, 'update', 'PUT {endpoint}/user/{uid}')
    .argument('<uid>')
    .option('--set <key=value>', 'field to change (repeatable; values are strings)', collect, [])
    .option('--data <json>', 'fields as a JSON object (typed values)')
    .option('--pass-reset-token <token>', 'from `password reset`: change the password without current_pass')
    .action(act(([uid], o) => (c) => {
      const data: UserUpdate = { ...(o.data ? (JSON.parse(String(o.data)) as UserUpdate) : {}), ...pairs(o.set as string[]) };
      return c.users.update(uid, data, { passResetToken: o.passResetToken as string | undefined });
    }));
  leaf(user, 'delete', 'DELETE {endpoint}/user/{uid}').argument('<uid>').action(act(([uid]) => (c) => c.users.delete(uid)));
  leaf(user, 'cancel', 'POST {endpoint}/user/{uid}/cancel').argument('<uid>').action(act(([uid]) => (c) => c.users.cancel(uid)));
  leaf(user, 'create', 'POST {endpoint}/user (administrators)')
    .requiredOption('--name <name>', 'account name')
    .requiredOption('--mail <mail>', 'account e-mail')
    .option('--pass <pass>', 'account password')
    .option('--field <key=value>', 'extra account field (repeatable)', collect, [])
    .action(act((_, o) => (c) => c.users.create({ ...pairs(o.field as string[]), name: String(o.name), mail: String(o.mail), ...(o.pass !== undefined ? { pass: String(o.pass) } : {}) })));
  leaf(user, 'index', 'GET {endpoint}/user')
    .option('--page <n>', 'page number (0-based)')
    .option('--pagesize <n>', 'rows per page')
    .option('--fields <list>', 'comma-separated columns')
    .option('--param <col=value>', 'filter parameters[col]=value (repeatable)', collect, [])
    .action(act((_, o) => (c) => c.users.index({
      page: o.page !== undefined ? Number(o.page) : undefined,
      pagesize: o.pagesize !== undefined ? Number(o.pagesize) : undefined,
      fields: o.fields as string | undefined,
      parameters: (o.param as string[]).length ? pairs(o.param as string[]) : undefined,
    })));

  const password = client.command('password').description('password requests and one-time logins');
  leaf(password, 'request', 'POST {endpoint}/user/request_new_password').argument('<name-or-mail>')
    .action(act(([name]) => (c) => c.requestNewPassword(name)));
  leaf(password, 'reset', 'POST {endpoint}/user/user_pass_reset (one-time login)')
    .option('--link <url>', 'the one-time login link …/user/reset/{uid}/{timestamp}/{hash}')
    .option('--uid <uid>').option('--timestamp <t>').option('--hash <hash>')
    .action(act((_, o) => (c) => {
      const link = o.link ? parseResetLink(String(o.link)) : { uid: String(o.uid ?? ''), timestamp: String(o.timestamp ?? ''), hashed_pass: String(o.hash ?? '') };
      if (!link || !link.uid || !link.timestamp || !link.hashed_pass) throw new Error('give --link, or --uid, --timestamp and --hash');
      return c.userPassReset(link);
    }));
  leaf(password, 'mail', 'POST {endpoint}/user/{uid}/password_reset').argument('<uid>').action(act(([uid]) => (c) => c.users.passwordReset(uid)));

  client.command('diff').description('run the same sequences against two servers and show where the answers differ')
    .requiredOption('--a <url>', 'first server base URL').requiredOption('--b <url>', 'second server base URL')
    .option('--endpoint <path>', 'Services endpoint path', 'rest')
    .option('--user <name>', 'account for the logged-in sequences', 'admin')
    .option('--password <pass>', 'its password', 'admin')
    .option('--only <names>', `comma-separated subset of: ${DIFF_SEQUENCES.map((s) => s.name).join(', ')}`)
    .action(async (o: { a: string; b: string; endpoint: string; user: string; password: string; only?: string }) => {
      const only = o.only?.split(',').map((s) => s.trim());
      const { createNodeClient } = await import('../../client/node.js');
      const report = await diffServers({
        a: o.a, b: o.b, user: o.user, password: o.password,
        sequences: only ? DIFF_SEQUENCES.filter((s) => only.includes(s.name)) : undefined,
        makeClient: (baseUrl) => createNodeClient({ baseUrl, endpoint: o.endpoint, trace: true }),
      });
      io.out(`${renderDiffReport(report)}\n`);
      if (!report.identical) io.setExitCode(1);
    });
}

/**
 * Runs `gatehouse client …` on its own. `argv` are the arguments after `gatehouse` (a leading `client` may be
 * left out). Output goes to `io` (collected by the caller in tests). Resolves to the exit code.
 */
export async function runClientCli(argv: string[], io: Partial<CliIO> = {}): Promise<number> {
  let code = 0;
  const sink: CliIO = {
    out: io.out ?? processIO.out,
    err: io.err ?? processIO.err,
    setExitCode: (c) => { code = c; io.setExitCode?.(c); },
  };
  const program = new Command('gatehouse').exitOverride().configureOutput({ writeOut: sink.out, writeErr: sink.err });
  registerClientCommands(program, sink);
  const args = argv[0] === 'client' ? argv : ['client', ...argv];
  try {
    await program.parseAsync(args, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    sink.err(`error: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
  return code;
}
