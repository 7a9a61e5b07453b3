/**
 * `gatehouse client diff`: runs the same request sequences against two servers (say, a Drupal 7 site and
 * Gatehouse) and reports where their answers differ: status line, content type, cookies set or deleted,
 * and the body after normalisation (ids, tokens, times and each server's own URL ignored).
 * Each sequence runs on a fresh client per server; an error answer ends the sequence but is compared too.
 */
import type { GatehouseClient } from './core.js';
import { GatehouseClientError } from './errors.js';
import { cookieEffect, deepDiff, normalize } from './shape.js';
import type { TraceEntry } from './trace.js';

export interface DiffSequence {
  name: string;
  run(c: GatehouseClient, ctx: DiffRunContext): Promise<void>;
}

export interface DiffRunContext {
  user: string;
  password: string;
  /** Same on both servers, unique per run: used for the registered account. */
  suffix: string;
}

async function loginUid(c: GatehouseClient, ctx: DiffRunContext): Promise<string> {
  return String((await c.login(ctx.user, ctx.password)).user.uid);
}

export const DIFF_SEQUENCES: DiffSequence[] = [
  { name: 'login', run: async (c, ctx) => void (await c.login(ctx.user, ctx.password)) },
  { name: 'login-wrong-password', run: async (c, ctx) => void (await c.login(ctx.user, `${ctx.password}-wrong`)) },
  { name: 'token', run: async (c, ctx) => { await c.login(ctx.user, ctx.password); await c.token(); } },
  { name: 'retrieve', run: async (c, ctx) => void (await c.users.retrieve(await loginUid(c, ctx))) },
  {
    name: 'update',
    run: async (c, ctx) => {
      const uid = await loginUid(c, ctx);
      await c.users.update(uid, { signature: 'gatehouse client diff', timezone: 'Europe/Paris' });
      await c.users.retrieve(uid);
    },
  },
  { name: 'logout', run: async (c, ctx) => { await c.login(ctx.user, ctx.password); await c.logout(); await c.connect(); await c.logout(); } },
  {
    name: 'register',
    run: async (c, ctx) => {
      const name = `diff${ctx.suffix}`;
      await c.register({ name, mail: `${name}@example.com`, pass: `pw-${ctx.suffix}` });
      await c.connect();
    },
  },
];

export interface ExchangeDiff {
  n: number;
  request: string;
  differences: string[];
}

export interface SequenceDiff {
  name: string;
  exchangesA: number;
  exchangesB: number;
  differences: ExchangeDiff[];
}

export interface DiffReport {
  a: string;
  b: string;
  identical: boolean;
  sequences: SequenceDiff[];
}

async function runOne(seq: DiffSequence, c: GatehouseClient, ctx: DiffRunContext): Promise<TraceEntry[]> {
  try {
    await seq.run(c, ctx);
  } catch (err) {
    if (!(err instanceof GatehouseClientError)) throw err;
  }
  return c.trace ? [...c.trace.entries] : [];
}

const relative = (url: string, base: string) => (url.startsWith(base) ? url.slice(base.length) : url);

function parse(e: TraceEntry): unknown {
  const t = e.response.body;
  if (/json/i.test(e.response.contentType ?? '')) {
    try {
      return JSON.parse(t) as unknown;
    } catch {
      return t;
    }
  }
  return t;
}

export function compareExchanges(a: TraceEntry, b: TraceEntry, baseA: string, baseB: string, ctx: DiffRunContext): string[] {
  const d: string[] = [];
  const reqA = `${a.method} ${relative(a.url, baseA)}`;
  const reqB = `${b.method} ${relative(b.url, baseB)}`;
  if (reqA !== reqB) d.push(`request: A ${reqA} | B ${reqB}`);
  const lineA = `${a.response.status} ${a.response.reasonPhrase}`.trim();
  const lineB = `${b.response.status} ${b.response.reasonPhrase}`.trim();
  if (lineA !== lineB) d.push(`status line: A "${lineA}" | B "${lineB}"`);
  if ((a.response.contentType ?? '') !== (b.response.contentType ?? '')) d.push(`content type: A "${a.response.contentType ?? ''}" | B "${b.response.contentType ?? ''}"`);
  const ca = a.response.setCookie.map(cookieEffect).join(', ');
  const cb = b.response.setCookie.map(cookieEffect).join(', ');
  if (ca !== cb) d.push(`set-cookie: A ${ca || '(none)'} | B ${cb || '(none)'}`);
  const replace = { [`diff${ctx.suffix}`]: '<new-name>', [`pw-${ctx.suffix}`]: '<new-pass>' };
  const na = normalize(parse(a), { baseUrl: baseA, replace });
  const nb = normalize(parse(b), { baseUrl: baseB, replace });
  for (const line of deepDiff(na, nb)) d.push(`body ${line}`);
  return d;
}

export interface DiffOptions {
  a: string;
  b: string;
  /** Makes a fresh client with a trace for one base URL. */
  makeClient(baseUrl: string): GatehouseClient;
  user?: string;
  password?: string;
  sequences?: DiffSequence[];
  suffix?: string;
}

export async function diffServers(opts: DiffOptions): Promise<DiffReport> {
  const ctx: DiffRunContext = {
    user: opts.user ?? 'admin',
    password: opts.password ?? 'admin',
    suffix: opts.suffix ?? `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`,
  };
  const sequences: SequenceDiff[] = [];
  for (const seq of opts.sequences ?? DIFF_SEQUENCES) {
    const ca = opts.makeClient(opts.a);
    const cb = opts.makeClient(opts.b);
    const [ta, tb] = [await runOne(seq, ca, ctx), await runOne(seq, cb, ctx)];
    const differences: ExchangeDiff[] = [];
    for (let i = 0; i < Math.max(ta.length, tb.length); i++) {
      const ea = ta[i];
      const eb = tb[i];
      if (!ea || !eb) {
        const only = (ea ?? eb)!;
        differences.push({ n: i + 1, request: `${only.method} ${relative(only.url, ea ? ca.baseUrl : cb.baseUrl)}`, differences: [`only ${ea ? 'A' : 'B'} made this request`] });
        continue;
      }
      const d = compareExchanges(ea, eb, ca.baseUrl, cb.baseUrl, ctx);
      if (d.length) differences.push({ n: i + 1, request: `${ea.method} ${relative(ea.url, ca.baseUrl)}`, differences: d });
    }
    sequences.push({ name: seq.name, exchangesA: ta.length, exchangesB: tb.length, differences });
  }
  return { a: opts.a, b: opts.b, identical: sequences.every((s) => s.differences.length === 0), sequences };
}

export function renderDiffReport(r: DiffReport): string {
  const lines = [`A = ${r.a}`, `B = ${r.b}`];
  for (const s of r.sequences) {
    const n = s.exchangesA === s.exchangesB ? `${s.exchangesA} exchange(s)` : `A ${s.exchangesA} / B ${s.exchangesB} exchange(s)`;
    lines.push(`${s.differences.length ? '≠' : '='} ${s.name}: ${n}${s.differences.length ? '' : ', same answers'}`);
    for (const d of s.differences) {
      lines.push(`    ${d.n}. ${d.request}`);
      for (const x of d.differences) lines.push(`       ${x}`);
    }
  }
  const same = r.sequences.filter((s) => s.differences.length === 0).length;
  lines.push(`${same}/${r.sequences.length} sequences answer the same${r.identical ? '' : ' (differences above)'}`);
  return lines.join('\n');
}
