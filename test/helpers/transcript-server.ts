/**
 * A server that answers from a recorded Drupal 7 Services transcript (/work/shared/conformance/*.json):
 * each request is matched to a recorded HTTP step by method + path (query included) + order, and gets the
 * recorded status line (reason phrase included), headers and body back, byte for byte, except that absolute
 * URLs of the recorded host are rewritten to this server's address. It lets the SDK run against "the real
 * site" without the site. Every received request is kept, with the step it matched, so tests can compare
 * what the client sent (cookie, token, body) with what the recorded client sent. Matching takes the first
 * unused step with the same method and path at or after the last matched one, else the first unused one
 * before it; a request nothing matches gets `599 No recorded step`.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { SHARED_DIR } from './shared-dir.js';

export const CONFORMANCE_DIR = process.env.GATEHOUSE_CONFORMANCE_DIR ?? path.join(SHARED_DIR, 'conformance');

export interface RecordedStep {
  step: number;
  title: string;
  action?: string;
  request?: { method: string; path: string; headers: Array<[string, string]>; body: string | null };
  response?: { status: number; reason: string; status_line: string; headers: Array<[string, string]>; body: string };
}

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** The recorded step that answered, or undefined when none matched (answered 599). */
  step?: RecordedStep;
}

export interface TranscriptServer {
  url: string;
  port: number;
  received: ReceivedRequest[];
  /** Recorded header value of the matched step's request, e.g. `recordedHeader(r, 'Cookie')`. */
  recordedHeader(r: ReceivedRequest, name: string): string | undefined;
  close(): Promise<void>;
}

export function loadScenario(name: string): RecordedStep[] {
  const file = name.endsWith('.json') ? name : path.join(CONFORMANCE_DIR, `${name}.json`);
  return JSON.parse(readFileSync(file, 'utf8')) as RecordedStep[];
}

const HOP_BY_HOP = new Set(['transfer-encoding', 'connection', 'content-length', 'keep-alive']);
const RECORDED_HOST = 'http://127.0.0.1:8070';

export interface TranscriptServerOptions {
  /** Replace `http://127.0.0.1:8070` in bodies and headers by this server's URL (default true). */
  rewriteHost?: boolean;
  /** Only answer from these step numbers. */
  steps?: number[];
  /** Let a step answer again (matching still prefers the next steps in order); for clients that repeat sequences. */
  reuse?: boolean;
}

export async function startTranscriptServer(scenario: string | RecordedStep[], opts: TranscriptServerOptions = {}): Promise<TranscriptServer> {
  const all = typeof scenario === 'string' ? loadScenario(scenario) : scenario;
  const steps = all.filter((s) => s.request && s.response && (!opts.steps || opts.steps.includes(s.step)));
  const used = new Set<number>();
  let cursor = 0;
  const received: ReceivedRequest[] = [];
  let base = '';
  const rewrite = (s: string) => (opts.rewriteHost === false ? s : s.split(RECORDED_HOST).join(base));

  const match = (method: string, p: string): number => {
    const fits = (i: number) => (opts.reuse || !used.has(i)) && steps[i].request!.method === method && steps[i].request!.path === p;
    for (let i = cursor; i < steps.length; i++) if (fits(i)) return i;
    for (let i = 0; i < cursor; i++) if (fits(i)) return i;
    return -1;
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r: ReceivedRequest = { method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      received.push(r);
      const i = match(r.method, r.path);
      if (i < 0) {
        res.writeHead(599, 'No recorded step', { 'Content-Type': 'text/plain' });
        res.end(`no unused recorded step for ${r.method} ${r.path}`);
        return;
      }
      used.add(i);
      cursor = i + 1;
      const step = steps[i];
      r.step = step;
      const rec = step.response!;
      const headers: Record<string, string | string[]> = {};
      for (const [name, value] of rec.headers) {
        const k = name.toLowerCase();
        if (HOP_BY_HOP.has(k)) continue;
        const v = rewrite(value);
        if (k === 'set-cookie') headers[name] = [...((headers[name] as string[] | undefined) ?? []), v];
        else headers[name] = v;
      }
      const body = rewrite(rec.body ?? '');
      headers['Content-Length'] = String(Buffer.byteLength(body));
      res.writeHead(rec.status, rec.reason, headers);
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
  return {
    url: base,
    port,
    received,
    recordedHeader(r, name) {
      return r.step?.request?.headers.find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
    },
    close: () => new Promise<void>((resolve, reject) => {
      server.close((err) => (err ? reject(err) : resolve()));
      server.closeAllConnections();
    }),
  };
}
