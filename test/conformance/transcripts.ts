// Loading and typing the recorded Drupal 7 + Services 3.x transcripts (../shared/conformance and site B's
// ../shared/fixtures/transcripts). Each scenario file is a JSON array of steps; see that folder's README.md.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export type HeaderList = Array<[string, string]>;

export interface RecordedRequest {
  method: string;
  path: string;
  headers: HeaderList;
  body: string | null;
  /** Site B only: "plain HTTP to port N" / "HTTPS to port N" when not sent to the main address. */
  transport?: string;
}

export interface RecordedResponse {
  status: number;
  /** Everything after the status code, e.g. "Unauthorized : CSRF validation failed" or ": Access denied…". */
  reason: string;
  status_line: string;
  headers: HeaderList;
  body: string;
  body_json?: unknown;
  elapsed_ms?: number;
}

export interface HttpStep {
  step: number;
  title: string;
  note?: string;
  request: RecordedRequest;
  response: RecordedResponse;
  cookie_jar_after?: Record<string, string>;
}

/** Out-of-band step: reset-db, vset, switch-session, mails, clear-jar, slow-mta, failing-mta, watchdog, … */
export interface ActionStep {
  step: number;
  title: string;
  action: string;
  note?: string;
}

export type Step = HttpStep | ActionStep;

/** A mail in the projection the transcripts and the test server share. */
export interface MailRecord {
  id: string;
  to: string;
  from: string;
  subject: string;
  body: string;
}

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Site A: the shared transcripts recorded over plain HTTP. */
export const DEFAULT_TRANSCRIPT_DIR = path.resolve(REPO_ROOT, '../shared/conformance');
/** Site B: HTTPS transcripts recorded against a site with its own data (fixtures). */
export const SITE_B_TRANSCRIPT_DIR = path.resolve(REPO_ROOT, '../shared/fixtures/transcripts');

export const isHttpStep = (s: Step): s is HttpStep => 'request' in s && 'response' in s;
export const isActionStep = (s: Step): s is ActionStep => !isHttpStep(s);

/** First header of that name (case-insensitive). */
export function header(headers: HeaderList, name: string): string | undefined {
  const lower = name.toLowerCase();
  return headers.find(([k]) => k.toLowerCase() === lower)?.[1];
}

/** Every header of that name, in order (Set-Cookie). */
export function headerAll(headers: HeaderList, name: string): string[] {
  const lower = name.toLowerCase();
  return headers.filter(([k]) => k.toLowerCase() === lower).map(([, v]) => v);
}

/** The scenario names of a folder, in index.json order (others after, alphabetically). */
export function listScenarios(dir: string = DEFAULT_TRANSCRIPT_DIR): string[] {
  const names = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json') && f !== 'index.json')
    .map((f) => f.slice(0, -'.json'.length));
  const order = Object.keys(loadIndex(dir));
  const rank = (n: string) => {
    const i = order.indexOf(n);
    return i < 0 ? Number.MAX_SAFE_INTEGER : i;
  };
  return names.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/** index.json: scenario name → one-line description ({} when absent). */
export function loadIndex(dir: string = DEFAULT_TRANSCRIPT_DIR): Record<string, string> {
  const file = path.join(dir, 'index.json');
  if (!fs.existsSync(file)) return {};
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>;
}

export function loadScenario(name: string, dir: string = DEFAULT_TRANSCRIPT_DIR): Step[] {
  const file = path.join(dir, `${name}.json`);
  const raw: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (!Array.isArray(raw)) throw new Error(`${file}: not a JSON array of steps`);
  return raw.map((s, i) => checkStep(s, `${file}[${i}]`));
}

function checkStep(s: unknown, where: string): Step {
  if (typeof s !== 'object' || s === null) throw new Error(`${where}: not an object`);
  const o = s as Record<string, unknown>;
  if (typeof o.step !== 'number' || typeof o.title !== 'string') throw new Error(`${where}: no step/title`);
  if ('request' in o) {
    const q = o.request as RecordedRequest;
    const r = o.response as RecordedResponse;
    if (!q || typeof q.method !== 'string' || typeof q.path !== 'string' || !Array.isArray(q.headers)) {
      throw new Error(`${where}: malformed request`);
    }
    if (!r || typeof r.status !== 'number' || typeof r.reason !== 'string' || !Array.isArray(r.headers)) {
      throw new Error(`${where}: malformed response`);
    }
    return s as HttpStep;
  }
  if (typeof o.action !== 'string') throw new Error(`${where}: neither an HTTP step nor an action`);
  return s as ActionStep;
}

/** The recorded mails of a `mails` step, projected to {id, to, from, subject, body}. */
export function recordedMails(step: ActionStep): MailRecord[] {
  const list: unknown = JSON.parse(step.action);
  const arr = Array.isArray(list) ? list : Object.values(list as Record<string, unknown>);
  return arr.map((m) => {
    const o = m as Record<string, unknown>;
    return { id: String(o.id), to: String(o.to), from: String(o.from), subject: String(o.subject), body: String(o.body) };
  });
}

/** The most frequent recorded Host header (the recording's main host). */
export function mainHost(steps: Step[]): string {
  const freq = new Map<string, number>();
  for (const s of steps) {
    if (!isHttpStep(s)) continue;
    const h = header(s.request.headers, 'host');
    if (h) freq.set(h, (freq.get(h) ?? 0) + 1);
  }
  let best = '127.0.0.1:8070';
  let n = 0;
  for (const [h, c] of freq) if (c > n) [best, n] = [h, c];
  return best;
}
