// The recorded ↔ live substitution table of a replay, and the rewriting of recorded requests through it.
//  - secrets (43-char base64url: session ids, CSRF tokens, one-time-login hashes): a bijection learned from
//    responses; a recorded value the table never learned (a bogus or foreign token) is sent verbatim;
//  - session cookie names: predicted from the Host sent (SESS + sha256(host:port)[0:32]), or learned (site B);
//  - uids: 0..fixedUidMax are the seed's and fixed; larger ones are learned (bijection);
//  - hosts: recorded Host → Host sent, in headers and in absolute URLs;
//  - one-time-login links learned from `mails` steps, and epoch timestamps in request bodies.
import crypto from 'node:crypto';
import type { HeaderList, HttpStep, MailRecord } from './transcripts.js';
import { header } from './transcripts.js';

export type CookieNameMode = 'host' | 'learn' | 'keep';

export const SECRET_RE = /(?<![A-Za-z0-9_-])(?:form-)?[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g;
export const SESSION_NAME_RE = /^S?SESS[0-9a-f]{32}$/;
export const RESET_LINK_RE = /\/user\/reset\/([0-9]+)\/(1[0-9]{9})\/([A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])/g;
const USER_PATH_RE = /(\/user\/(?:reset\/)?)([0-9]+)(?![0-9])/g;
const URL_HOST_RE = /(https?:\/\/)([^/\s"'<>\\]+)/g;
const BODY_UID_RE = /("uid"\s*:\s*"?)([0-9]+)(?![0-9])/g;
const EPOCH_RE = /(?<![0-9])1[0-9]{9}(?![0-9])/g;

export const isSecretShaped = (s: string) => /^[A-Za-z0-9_-]{43}$/.test(s);

/** Drupal 7's session cookie name for a Host header (no $cookie_domain, no base path). */
export function predictSessionName(host: string, secure = false): string {
  const h = host.startsWith('www.') ? `.${host}` : host;
  return (secure ? 'SSESS' : 'SESS') + crypto.createHash('sha256').update(h).digest('hex').slice(0, 32);
}

/** A one-to-one map learned on first sight. `pair` returns null, or why the pair breaks the bijection. */
export class Bijection {
  readonly fwd = new Map<string, string>();
  readonly rev = new Map<string, string>();
  constructor(private readonly what: string) {}
  get(rec: string): string | undefined {
    return this.fwd.get(rec);
  }
  pair(rec: string, live: string): string | null {
    const known = this.fwd.get(rec);
    if (known !== undefined) {
      return known === live ? null : `${this.what}: recorded ${cut(rec)} is live ${cut(known)}, got ${cut(live)}`;
    }
    const other = this.rev.get(live);
    if (other !== undefined) {
      return `${this.what}: live ${cut(live)} already stands for recorded ${cut(other)} (recording has a different value here: ${cut(rec)})`;
    }
    this.fwd.set(rec, live);
    this.rev.set(live, rec);
    return null;
  }
}
const cut = (s: string) => (s.length > 14 ? `${s.slice(0, 12)}…` : s);

export interface SentRequest {
  method: string;
  path: string;
  headers: HeaderList;
  body: string | null;
}

export interface SubstitutionOptions {
  /** recorded Host → Host sent */
  hostMap: Map<string, string>;
  cookieNames: CookieNameMode;
  fixedUidMax: number;
}

export class Substitutions {
  readonly secrets = new Bijection('secret');
  readonly uids = new Bijection('uid');
  readonly names = new Bijection('cookie name');
  readonly hostMap: Map<string, string>;
  readonly cookieNames: CookieNameMode;
  readonly fixedUidMax: number;
  /** recorded one-time-login hash → the live link it stands for */
  readonly links = new Map<string, { recTs: string; liveTs: string; liveHash: string }>();
  readonly linkTs = new Map<string, string>();
  /** An admin session opened out of band (switch-session) whose CSRF token is not mapped yet. */
  pendingAdminToken: string | null = null;

  constructor(opts: SubstitutionOptions) {
    this.hostMap = opts.hostMap;
    this.cookieNames = opts.cookieNames;
    this.fixedUidMax = opts.fixedUidMax;
    if (opts.cookieNames === 'host') {
      for (const [rec, live] of opts.hostMap) {
        this.names.pair(predictSessionName(rec), predictSessionName(live));
        this.names.pair(predictSessionName(rec, true), predictSessionName(live, true));
      }
    }
  }

  isFixedUid(u: string): boolean {
    return /^[0-9]+$/.test(u) && Number(u) <= this.fixedUidMax;
  }

  /** Pair a recorded uid with the live one; seed uids must be equal. */
  pairUid(rec: string, live: string): string | null {
    if (this.isFixedUid(rec) || !/^[0-9]+$/.test(rec)) return rec === live ? null : `uid: expected ${rec}, got ${live}`;
    if (!this.uids.get(rec) && (!/^[0-9]+$/.test(live) || this.isFixedUid(live))) {
      return `uid: expected a new account (recorded ${rec}), got ${live}`;
    }
    return this.uids.pair(rec, live);
  }

  /** Pair a recorded session cookie name with a live one (mode "learn" only; otherwise a no-op). */
  learnName(rec: string, live: string): string | null {
    if (this.cookieNames !== 'learn' || !SESSION_NAME_RE.test(rec) || !SESSION_NAME_RE.test(live)) return null;
    return this.names.pair(rec, live);
  }

  mapName(rec: string): string {
    return this.cookieNames === 'keep' ? rec : (this.names.get(rec) ?? rec);
  }

  mapUidPath(s: string): string {
    return s.replace(USER_PATH_RE, (_all, pre: string, n: string) => pre + (this.uids.get(n) ?? n));
  }

  mapSecrets(s: string): string {
    return s.replace(SECRET_RE, (x) => this.secrets.get(x) ?? x);
  }

  /** A recorded literal (no secrets in it) as the live server should write it: hosts, cookie names, uids. */
  expectLiteral(s: string): string {
    let out = s.replace(URL_HOST_RE, (_all, scheme: string, h: string) => scheme + (this.hostMap.get(h) ?? h));
    if (this.cookieNames !== 'keep') {
      out = out.replace(/(?<![A-Za-z0-9_])S?SESS[0-9a-f]{32}(?![A-Za-z0-9_])/g, (n) => this.names.get(n) ?? n);
    }
    return this.mapUidPath(out);
  }

  /**
   * switch-session: the recorder logged admin in out of band; its cookie first shows up in the next recorded
   * request that sends a Cookie. Map that recorded cookie (name and value) to the live admin session, and
   * remember the live token for the first unknown X-CSRF-Token that follows.
   */
  adoptSession(nextRecordedCookie: string | undefined, live: { name: string; sessid: string; token?: string }): string {
    this.pendingAdminToken = live.token ?? null;
    if (!nextRecordedCookie) return 'no later request sends a cookie';
    for (const pair of nextRecordedCookie.split(/;\s*/)) {
      const eq = pair.indexOf('=');
      const [n, v] = [pair.slice(0, eq), pair.slice(eq + 1)];
      if (this.cookieNames === 'learn' && SESSION_NAME_RE.test(n) && !this.names.get(n)) this.names.pair(n, live.name);
      if (this.mapName(n) !== live.name || this.secrets.get(v) !== undefined) continue;
      const d = this.secrets.pair(v, live.sessid);
      return d ? `cannot map the recorded admin cookie: ${d}` : `recorded admin cookie ${cut(v)} → live ${cut(live.sessid)}`;
    }
    return 'the next cookie is already mapped';
  }

  /** Learn the one-time-login links of a `mails` step: same mail index (same id), same link index. */
  learnLinks(rec: MailRecord[], live: MailRecord[]): void {
    const linksOf = (body: string) => [...body.matchAll(RESET_LINK_RE)].map((m) => ({ ts: m[2], hash: m[3] }));
    for (let i = 0; i < Math.min(rec.length, live.length); i++) {
      if (rec[i].id !== live[i].id) continue;
      const a = linksOf(rec[i].body);
      const b = linksOf(live[i].body);
      if (a.length !== b.length) continue;
      a.forEach((x, j) => {
        this.links.set(x.hash, { recTs: x.ts, liveTs: b[j].ts, liveHash: b[j].hash });
        this.linkTs.set(x.ts, b[j].ts);
      });
    }
  }

  /** The request to send for a recorded step. `nowSec` is the live clock (epoch seconds). */
  rewriteRequest(step: HttpStep, nowSec: number): SentRequest {
    const q = step.request;
    const headers: HeaderList = q.headers.map(([k, v]) => [k, this.rewriteHeader(k, v)]);
    return { method: q.method, path: this.mapUidPath(this.mapSecrets(q.path)), headers, body: this.rewriteBody(step, nowSec) };
  }

  private rewriteHeader(name: string, value: string): string {
    switch (name.toLowerCase()) {
      case 'host':
        return this.hostMap.get(value) ?? value;
      case 'cookie':
        return value.replace(/([^=;\s]+)=([^;]*)/g, (_all, n: string, v: string) => `${this.mapName(n)}=${this.secrets.get(v) ?? v}`);
      case 'x-csrf-token':
        if (this.pendingAdminToken && isSecretShaped(value) && this.secrets.get(value) === undefined) {
          // The first unknown token after a switch-session is the out-of-band admin session's.
          this.secrets.pair(value, this.pendingAdminToken);
          this.pendingAdminToken = null;
        }
        return this.mapSecrets(value);
      default:
        return this.mapSecrets(value);
    }
  }

  private rewriteBody(step: HttpStep, nowSec: number): string | null {
    if (step.request.body == null) return null;
    const tsHere = new Map<string, string>();
    let body = step.request.body.replace(SECRET_RE, (s) => {
      const link = this.links.get(s);
      if (link) {
        tsHere.set(link.recTs, link.liveTs);
        return link.liveHash;
      }
      return this.secrets.get(s) ?? s;
    });
    body = body.replace(BODY_UID_RE, (_all, pre: string, n: string) => pre + (this.uids.get(n) ?? n));
    const recDate = Date.parse(header(step.response.headers, 'date') ?? '') / 1000;
    if (!Number.isFinite(recDate)) return body;
    const shift = nowSec - recDate;
    return body.replace(EPOCH_RE, (t) => {
      const live = tsHere.get(t) ?? this.linkTs.get(t);
      if (live) return live;
      return Math.abs(Number(t) - recDate) < 2 * 86400 ? String(Number(t) + shift) : t;
    });
  }
}

/** recorded Host → Host to send: the main host becomes `liveHost`; other hosts on the recorded port get
 * the live port; anything else is kept. */
export function buildHostMap(recordedHosts: Iterable<string>, mainRecorded: string, liveHost: string): Map<string, string> {
  const map = new Map<string, string>([[mainRecorded, liveHost]]);
  const recPort = mainRecorded.split(':')[1];
  const livePort = liveHost.split(':')[1];
  for (const h of recordedHosts) {
    if (map.has(h)) continue;
    map.set(h, recPort && livePort && h.endsWith(`:${recPort}`) ? `${h.slice(0, -recPort.length)}${livePort}` : h);
  }
  return map;
}
