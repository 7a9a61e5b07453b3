// Loads the real site's recordings (../shared/conformance/formats.json, relative to the repository).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface RecordedStep {
  step: number;
  title: string;
  request?: { method: string; path: string; headers: Array<[string, string]>; body: string | null };
  response?: { status: number; headers: Array<[string, string]>; body: string; body_json?: unknown };
}

const FILE = fileURLToPath(new URL('../../../../shared/conformance/formats.json', import.meta.url));

export const FORMAT_STEPS: readonly RecordedStep[] = JSON.parse(readFileSync(FILE, 'utf8')) as RecordedStep[];

export function step(n: number): Required<RecordedStep> {
  const s = FORMAT_STEPS.find((x) => x.step === n);
  if (!s?.request || !s.response) throw new Error(`formats step ${n} is not an HTTP step`);
  return s as Required<RecordedStep>;
}

export function header(headers: ReadonlyArray<[string, string]>, name: string): string | undefined {
  return headers.find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
}

/** The response body parsed as JSON (the recording's own body_json, or the jsonp payload). */
export function jsonData(n: number): unknown {
  const s = step(n);
  if (s.response.body_json !== undefined) return s.response.body_json;
  const m = /^[A-Za-z0-9_.-]*\(([\s\S]*)\);$/.exec(s.response.body);
  if (!m) throw new Error(`formats step ${n} has no JSON body`);
  return JSON.parse(m[1]) as unknown;
}
