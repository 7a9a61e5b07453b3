// Replays one recorded scenario against a Gatehouse test server and compares every response.
// HTTP steps go out over a raw socket (./raw-http.ts) after the substitutions (./substitutions.ts) and are
// compared by ./compare.ts. Out-of-band steps map onto the test-server helper:
//   reset-db → close the server and start a fresh one; vset → setVariable; switch-session → log admin in
//   out of band and map the recorded admin cookie to it; mails → compare mails() (a counted step);
//   slow-mta / failing-mta / watchdog → no-ops (Gatehouse never sends mail inside a request).
import { fixFraming, sendRaw, type RawResponse } from './raw-http.js';
import { compareMails, compareResponse } from './compare.js';
import { buildHostMap, Substitutions, type CookieNameMode, type SentRequest } from './substitutions.js';
import type { ActionStep, HttpStep, RecordedResponse, Step } from './transcripts.js';
import { DEFAULT_TRANSCRIPT_DIR, header, isHttpStep, loadScenario, mainHost, recordedMails } from './transcripts.js';

// The contract of test/helpers/test-server.ts (the lead's), restated so that this file compiles without it.
export interface StartOptions {
  preset?: 'peer' | 'empty' | 'site-b';
  settings?: Record<string, unknown>;
  databaseUrl?: string;
}
export interface TestServer {
  url: string;
  port: number;
  setVariable(name: string, value: unknown): Promise<void>;
  mails(): Promise<Array<{ id: string; to: string; from: string; subject: string; body: string }>>;
  close(): Promise<void>;
}
export type StartServer = (opts?: StartOptions) => Promise<TestServer>;

export interface ReplayOptions {
  dir?: string;
  /** Replay these steps instead of loading `<dir>/<name>.json` (self-tests plant differences this way). */
  steps?: Step[];
  startServer?: StartServer;
  startOptions?: StartOptions;
  /** How recorded session-cookie names become live ones: predicted from the Host (default), learned, kept. */
  cookieNames?: CookieNameMode;
  /** uids 0..fixedUids are the seed's (default 4); larger ones are learned. */
  fixedUids?: number;
  /** Send the recorded Host instead of the live host:port (site B, whose URLs come from $base_url). */
  keepRecordedHost?: boolean;
  onStep?: (r: StepResult | ActionResult) => void;
}

export interface StepResult {
  step: number;
  title: string;
  status: 'PASS' | 'FAIL' | 'SKIP';
  diff?: string;
  kind: 'http' | 'mails' | 'compare-token';
  diffs?: string[];
  /** for failures: what was sent, what was recorded, what came back */
  sent?: SentRequest;
  expected?: RecordedResponse;
  got?: RawResponse;
}
export interface ActionResult {
  step: number;
  title: string;
  kind: 'action';
  detail: string;
}
export interface ScenarioResult {
  name: string;
  steps: StepResult[];
  actions: ActionResult[];
  passed: number;
  compared: number;
  skipped: number;
}

async function startLeadServer(opts?: StartOptions): Promise<TestServer> {
  const spec = '../helpers/test-server.js'; // not a literal: the helper may not exist yet when this compiles
  const mod = (await import(spec)) as { startTestServer: StartServer };
  return mod.startTestServer(opts);
}

/** Parse the recorder's free text of a `vset` step into [name, value] pairs. */
export function parseVset(text: string): Array<[string, unknown]> {
  let t = text;
  for (let prev = ''; prev !== t; ) [prev, t] = [t, t.replace(/\([^()]*\)/g, '')];
  t = t.trim();
  const back = /^mail_system\s+back to\s+(\w+)$/.exec(t);
  if (back) return [['mail_system', { 'default-system': back[1] }]];
  return t.split(/,\s*(?=[a-z_]+\s*=)/).map((part): [string, unknown] => {
    const m = /^([a-z_]+)\s*=\s*(.+)$/.exec(part.trim());
    if (!m) throw new Error(`cannot read vset ${JSON.stringify(text)}`);
    const raw = m[2].trim();
    if (/^true$/i.test(raw)) return [m[1], true];
    if (/^false$/i.test(raw)) return [m[1], false];
    if (/^-?\d+$/.test(raw)) return [m[1], Number(raw)];
    if (/^\{.*\}$/.test(raw)) return [m[1], JSON.parse(raw.replace(/'/g, '"'))];
    return [m[1], raw];
  });
}

const NO_MAIL_IN_REQUEST = 'no-op: Gatehouse never sends mail inside a request (mail delivery is tested elsewhere)';

export async function replayScenario(name: string, opts: ReplayOptions = {}): Promise<ScenarioResult> {
  const steps = opts.steps ?? loadScenario(name, opts.dir ?? DEFAULT_TRANSCRIPT_DIR);
  const start = opts.startServer ?? startLeadServer;
  const recMain = mainHost(steps);
  const recHosts = new Set(steps.filter(isHttpStep).map((s) => header(s.request.headers, 'host') ?? recMain));
  const out: ScenarioResult = { name, steps: [], actions: [], passed: 0, compared: 0, skipped: 0 };
  let server: TestServer | null = null;
  let subs: Substitutions | null = null;
  let poison: string | null = null; // an action that could not be done: later steps are SKIP until reset
  let last: RawResponse | null = null;
  let dead: string | null = null; // the server could not be started: later steps FAIL until a reset works

  const emit = (r: StepResult | ActionResult) => {
    if (r.kind === 'action') out.actions.push(r);
    else {
      if (poison && r.status !== 'SKIP') Object.assign(r, { status: 'SKIP', diff: `after ${poison}${r.diff ? `; would be: ${r.diff}` : ''}` });
      out.steps.push(r);
      if (r.status === 'PASS') out.passed++;
      if (r.status !== 'SKIP') out.compared++;
      else out.skipped++;
    }
    opts.onStep?.(r);
  };
  const act = (st: Step, detail: string) => emit({ step: st.step, title: st.title, kind: 'action', detail });

  const fresh = async () => {
    if (server) await server.close();
    server = null;
    server = await start(opts.startOptions ?? { preset: 'peer' });
    const live = new URL(server.url).host;
    subs = new Substitutions({
      hostMap: buildHostMap(recHosts, recMain, opts.keepRecordedHost ? recMain : live),
      cookieNames: opts.cookieNames ?? 'host',
      fixedUidMax: opts.fixedUids ?? 4,
    });
    poison = null;
    last = null;
  };
  const ready = async (): Promise<[TestServer, Substitutions]> => {
    if (!server || !subs) await fresh();
    return [server as unknown as TestServer, subs as unknown as Substitutions];
  };

  try {
    for (let idx = 0; idx < steps.length; idx++) {
      const st = steps[idx];
      if (dead) {
        if (isHttpStep(st) || st.title === 'mails') emit({ step: st.step, title: st.title, kind: isHttpStep(st) ? 'http' : 'mails', status: 'FAIL', diff: `no server: ${dead}` });
        else if (st.title === 'reset-db') dead = null;
        if (dead) continue;
      }
      if (isHttpStep(st)) {
        const [srv, sb] = await ready();
        const r = await httpStep(st, srv, sb);
        last = r.got ?? null;
        emit(r);
        continue;
      }
      try {
        await actionStep(st, idx);
      } catch (e) {
        if (st.title === 'mails') {
          emit({ step: st.step, title: st.title, kind: 'mails', status: 'FAIL', diff: `mails() failed: ${(e as Error).message}` });
        } else if (st.title === 'reset-db') {
          dead = `the test server did not start: ${(e as Error).message}`;
          act(st, `FAILED: ${dead}; later steps FAIL until the next reset-db`);
        } else {
          act(st, `FAILED: ${(e as Error).message}; later steps are SKIP until the next reset-db`);
          poison = `#${st.step} ${st.title} failed`;
        }
      }
    }
  } finally {
    if (server) await (server as TestServer).close();
  }
  return out;

  async function actionStep(st: ActionStep, idx: number): Promise<void> {
    switch (st.title) {
      case 'reset-db':
        await fresh();
        return act(st, 'fresh server (preset peer)');
      case 'vset': {
        const [srv] = await ready();
        const pairs = parseVset(st.action);
        for (const [n, v] of pairs) await srv.setVariable(n, v);
        return act(st, pairs.map(([n, v]) => `setVariable(${n}, ${JSON.stringify(v)})`).join(', '));
      }
      case 'switch-session': {
        const [srv, sb] = await ready();
        const s = await adminLogin(srv, sb);
        const next = steps.slice(idx + 1).find((x): x is HttpStep => isHttpStep(x) && header(x.request.headers, 'cookie') !== undefined);
        return act(st, `admin logged in out of band; ${sb.adoptSession(next && header(next.request.headers, 'cookie'), s)}`);
      }
      case 'mails': {
        const [srv, sb] = await ready();
        const rec = recordedMails(st);
        const live = await srv.mails();
        const d = compareMails(rec, live, sb);
        sb.learnLinks(rec, live);
        return emit({ step: st.step, title: st.title, kind: 'mails', status: d ? 'FAIL' : 'PASS', ...(d ? { diff: d } : {}) });
      }
      case 'compare-token': {
        const m = /expected\s+([A-Za-z0-9_-]+),\s*got\s+\S*\s*->\s*(MATCH|MISMATCH)/.exec(st.action);
        if (!m) return emit({ step: st.step, title: st.title, kind: 'compare-token', status: 'SKIP', diff: 'unreadable compare-token text' });
        const got = (last as RawResponse | null)?.body.trim() ?? '(no response)';
        const verdict = got === m[1] ? 'MATCH' : 'MISMATCH';
        const ok = verdict === m[2];
        return emit({ step: st.step, title: st.title, kind: 'compare-token', status: ok ? 'PASS' : 'FAIL', ...(ok ? {} : { diff: `token: recorded ${m[2]}, live ${verdict} (got ${got.slice(0, 50)})` }) });
      }
      case 'slow-mta':
      case 'failing-mta':
      case 'watchdog':
        return act(st, NO_MAIL_IN_REQUEST);
      case 'clear-jar':
      case 'note':
        return act(st, 'nothing to do (requests carry the recorded Cookie headers, translated)');
      default:
        throw new Error(`unknown action "${st.title}"`);
    }
  }
}

async function httpStep(st: HttpStep, server: TestServer, subs: Substitutions): Promise<StepResult> {
  const base = { step: st.step, title: st.title, kind: 'http' as const };
  if (st.request.transport && /^plain HTTP\b/i.test(st.request.transport)) {
    return { ...base, status: 'SKIP', diff: `recorded as "${st.request.transport}": no backend address` };
  }
  const req = subs.rewriteRequest(st, Math.floor(Date.now() / 1000));
  req.headers = fixFraming(req.headers, st.request.body, req.body);
  const u = new URL(server.url);
  let got: RawResponse;
  try {
    got = await sendRaw({ host: u.hostname, port: Number(u.port), ...req });
  } catch (e) {
    return { ...base, status: 'FAIL', diff: `no response: ${(e as Error).message}`, sent: req, expected: st.response };
  }
  const diffs = compareResponse(st.response, got, subs);
  if (!diffs.length) return { ...base, status: 'PASS', got };
  return { ...base, status: 'FAIL', diff: diffs[0], diffs, sent: req, expected: st.response, got };
}

/** Log admin in through our own request (not a replayed step). */
async function adminLogin(server: TestServer, subs: Substitutions): Promise<{ name: string; sessid: string; token?: string }> {
  const u = new URL(server.url);
  const body = JSON.stringify({ username: 'admin', password: 'admin' });
  const host = subs.hostMap.values().next().value ?? u.host;
  const r = await sendRaw({
    host: u.hostname,
    port: Number(u.port),
    method: 'POST',
    path: '/rest/user/login',
    headers: [['Host', host], ['Content-Type', 'application/json'], ['Accept', 'application/json'], ['Content-Length', String(Buffer.byteLength(body))], ['Connection', 'close']],
    body,
  });
  if (r.status !== 200) throw new Error(`admin login answered ${r.statusLine}: ${r.body.slice(0, 120)}`);
  const j = JSON.parse(r.body) as { sessid?: string; session_name?: string; token?: string };
  if (!j.sessid || !j.session_name) throw new Error(`admin login body has no sessid/session_name: ${r.body.slice(0, 120)}`);
  return { name: j.session_name, sessid: j.sessid, token: j.token };
}
