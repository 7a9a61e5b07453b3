// A fake "server" for the harness self-tests: it answers each request with the next recorded response of a
// scenario, but as a different server would: every secret replaced by a fresh one (consistently), the
// session cookie name and the URLs of its own host:port, new-account uids shifted by 100, epochs shifted.
// It also checks, from its own side, that each request it receives is the recorded one after those
// substitutions (cookies, tokens, uids, paths, bodies), and logs what does not match in `problems`.
// Replaying a scenario against it must therefore give 100% with no problems.
import crypto from 'node:crypto';
import net from 'node:net';
import type { StartOptions, StartServer, TestServer } from './replay.js';
import { bodyKind } from './formats.js';
import { Bijection, predictSessionName, SECRET_RE } from './substitutions.js';
import type { HeaderList, HttpStep, MailRecord, Step } from './transcripts.js';
import { header, isHttpStep, recordedMails } from './transcripts.js';

const UID_SHIFT = 100;
const EPOCH_SHIFT = 7;
const REC_HOST = '127.0.0.1:8070';
const freshSecret = () => crypto.randomBytes(32).toString('base64url');

export interface FakeFactory {
  start: StartServer;
  /** Requests that were not the recorded ones after substitution, and other oddities. */
  problems: string[];
  /** setVariable calls, in order. */
  variables: Array<[string, unknown]>;
}

/** `served`: the steps whose responses the fake sends (a planted copy may differ from what the harness expects). */
export function fakeServerFactory(served: Step[]): FakeFactory {
  const problems: string[] = [];
  const variables: Array<[string, unknown]> = [];
  const resets = served.map((s, i) => (s.title === 'reset-db' && !isHttpStep(s) ? i : -1)).filter((i) => i >= 0);
  let starts = 0;
  const start = async (_opts?: StartOptions): Promise<TestServer> => {
    const from = resets.length ? resets[Math.min(starts, resets.length - 1)] + 1 : 0;
    starts++;
    const nextReset = resets.find((i) => i >= from) ?? served.length;
    return startFake(served.slice(from, nextReset), problems, variables);
  };
  return { start, problems, variables };
}

async function startFake(steps: Step[], problems: string[], variables: Array<[string, unknown]>): Promise<TestServer> {
  const secrets = new Bijection('fake secret');
  let cursor = 0; // index in steps of the next thing to happen
  let host = REC_HOST;
  let recName = predictSessionName(REC_HOST);
  let liveName = recName;

  // ---------- recorded → fake-live
  const shiftedUids = new Map<string, string>(); // live → recorded, for the uids this fake has handed out
  const liveUid = (n: string) => {
    if (Number(n) <= 4) return n;
    const l = String(Number(n) + UID_SHIFT);
    shiftedUids.set(l, n);
    return l;
  };
  const recUid = (n: string) => shiftedUids.get(n) ?? n;
  // Session cookie names are hex: a run of their digits can look like an epoch (SESS…b1803187808a…, or a live
  // name, whose hash depends on the port). They are mapped whole and kept out of the epoch shift.
  const mapLiteral = (s: string, sameLength: boolean, dir: 'out' | 'in') => s.split(/(S?SESS[0-9a-f]{32})/)
    .map((part, i) => (i % 2 === 1 ? mapSessionName(part, dir) : mapPlain(part, sameLength, dir))).join('');
  const mapSessionName = (name: string, dir: 'out' | 'in') => (dir === 'out' ? (name === recName ? liveName : name) : (name === liveName ? recName : name));
  const mapPlain = (s: string, sameLength: boolean, dir: 'out' | 'in') => {
    let t = s.replace(/(?<![0-9])1[0-9]{9}(?![0-9])/g, (e) => (dir === 'out' ? String(Number(e) + EPOCH_SHIFT) : '<TS>'));
    if (sameLength) return t;
    t = dir === 'out' ? t.split(REC_HOST).join(host) : t.split(host).join(REC_HOST);
    const u = dir === 'out' ? liveUid : recUid;
    t = t.replace(/(\/user\/(?:reset\/)?)([0-9]+)(?![0-9])/g, (_a, p: string, n: string) => p + u(n));
    t = t.replace(/("uid"\s*:\s*"?|<uid>)([0-9]+)(?![0-9])/g, (_a, p: string, n: string) => p + u(n));
    return t;
  };
  const out = (s: string, sameLength = false) =>
    splitSecrets(s, (lit) => mapLiteral(lit, sameLength, 'out'), (sec) => {
      if (!secrets.get(sec)) secrets.pair(sec, freshSecret());
      return secrets.get(sec) as string;
    });
  // fake-live → recorded (for checking requests); unknown secrets stay as they are
  const back = (s: string) => splitSecrets(s, (lit) => mapLiteral(lit, false, 'in'), (sec) => secrets.rev.get(sec) ?? sec);
  const recForm = (s: string) => splitSecrets(s, (lit) => lit.split(/(S?SESS[0-9a-f]{32})/).map((part, i) => (i % 2 === 1 ? part : part.replace(/(?<![0-9])1[0-9]{9}(?![0-9])/g, '<TS>'))).join(''), (x) => x);

  const respond = (st: HttpStep): Buffer => {
    const r = st.response;
    const kind = bodyKind(header(r.headers, 'content-type'));
    const body = Buffer.from(out(r.body ?? '', kind === 'php' || kind === 'bencode'), 'utf8');
    const lines = [out(r.status_line)];
    for (const [k, v] of r.headers) {
      const lk = k.toLowerCase();
      if (lk === 'transfer-encoding' || lk === 'content-length' || lk === 'connection') continue;
      lines.push(`${k}: ${lk === 'set-cookie' ? out(v) : v}`);
    }
    lines.push(`Content-Length: ${body.length}`, 'Connection: close', '', '');
    return Buffer.concat([Buffer.from(lines.join('\r\n'), 'latin1'), body]);
  };

  // The out-of-band admin login of a switch-session step: a session of its own, paired with the recorded one.
  const adminLogin = (): Buffer => {
    const sessid = freshSecret();
    const token = freshSecret();
    const later = steps.slice(cursor).filter(isHttpStep);
    const cookie = later.map((s) => header(s.request.headers, 'cookie')).find((c) => c !== undefined);
    const recSess = cookie ? cookie.slice(cookie.indexOf('=') + 1) : undefined;
    if (recSess && !secrets.get(recSess)) secrets.pair(recSess, sessid);
    const recTok = later.map((s) => header(s.request.headers, 'x-csrf-token')).find((t) => t && /^[\w-]{43}$/.test(t) && !secrets.get(t));
    if (recTok) secrets.pair(recTok, token);
    const body = JSON.stringify({ sessid, session_name: liveName, token, user: { uid: '1', name: 'admin' } });
    return Buffer.from(
      `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nSet-Cookie: ${liveName}=${sessid}; Max-Age=2000000; path=/; HttpOnly\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      'latin1',
    );
  };

  const check = (st: HttpStep, method: string, path: string, headers: HeaderList, body: Buffer) => {
    const q = st.request;
    const say = (what: string) => problems.push(`#${st.step} ${q.method} ${q.path}: ${what}`);
    if (method !== q.method) say(`method ${method}`);
    if (back(path) !== q.path) say(`path ${JSON.stringify(back(path))}`);
    const recBody = q.body ?? '';
    if (recForm(back(body.toString('utf8'))) !== recForm(recBody)) say(`body ${JSON.stringify(body.toString('utf8').slice(0, 200))}`);
    const names = headers.map(([k]) => k).join(',');
    if (names !== q.headers.map(([k]) => k).join(',')) say(`header names ${names}`);
    for (const [k, v] of q.headers) {
      const got = header(headers, k) ?? '';
      if (k.toLowerCase() === 'content-length') {
        if (Number(got) !== body.length) say(`Content-Length ${got} for ${body.length} bytes`);
      } else if (back(got) !== (k.toLowerCase() === 'host' ? REC_HOST : v)) say(`${k}: ${got}`);
    }
  };

  const serve = (method: string, path: string, headers: HeaderList, body: Buffer): Buffer => {
    const pendingSwitch = (() => {
      for (let i = cursor; i < steps.length && !isHttpStep(steps[i]); i++) if (steps[i].title === 'switch-session') return true;
      return false;
    })();
    if (pendingSwitch && method === 'POST' && path === '/rest/user/login' && /"admin"/.test(body.toString('utf8'))) {
      const i = steps.findIndex((s, j) => j >= cursor && s.title === 'switch-session');
      cursor = i + 1;
      return adminLogin();
    }
    const unsent = (s: Step) => !isHttpStep(s) || /^plain HTTP\b/i.test(s.request.transport ?? ''); // the harness skips those
    while (cursor < steps.length && unsent(steps[cursor])) cursor++;
    const st = steps[cursor++];
    if (!st || !isHttpStep(st)) {
      problems.push(`unexpected request ${method} ${path} after the last recorded step`);
      return Buffer.from('HTTP/1.1 500 Fake Exhausted\r\nContent-Length: 0\r\nConnection: close\r\n\r\n', 'latin1');
    }
    check(st, method, path, headers, body);
    return respond(st);
  };

  const server = net.createServer((sock) => {
    let buf = Buffer.alloc(0);
    sock.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      const lines = buf.subarray(0, end).toString('latin1').split('\r\n');
      const headers: HeaderList = lines.slice(1).map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]);
      const len = Number(header(headers, 'content-length') ?? 0);
      if (buf.length < end + 4 + len) return;
      const [method, path] = lines[0].split(' ');
      sock.end(serve(method, path, headers, buf.subarray(end + 4, end + 4 + len)));
    });
    sock.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  host = `127.0.0.1:${port}`;
  liveName = predictSessionName(host);
  recName = predictSessionName(REC_HOST);

  return {
    url: `http://${host}`,
    port,
    async setVariable(name, value) {
      variables.push([name, value]);
    },
    async mails(): Promise<MailRecord[]> {
      const st = steps.find((s, i) => i >= cursor && !isHttpStep(s) && s.title === 'mails');
      if (!st || isHttpStep(st)) return [];
      return recordedMails(st).map((m) => ({ ...m, to: out(m.to), subject: out(m.subject), body: out(m.body) }));
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function splitSecrets(s: string, lit: (x: string) => string, sec: (x: string) => string): string {
  let res = '';
  let at = 0;
  for (const m of s.matchAll(SECRET_RE)) {
    res += lit(s.slice(at, m.index)) + sec(m[0]);
    at = (m.index ?? 0) + m[0].length;
  }
  return res + lit(s.slice(at));
}
