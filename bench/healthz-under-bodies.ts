// /healthz latency while 8 clients send the worst bodies the default limits let in (or just past them):
// issue 16's "keep /healthz under 50 ms p99". Prints p50/p99/max of /healthz alone, then under that load,
// and what the bodies were answered. Not in CI (test/reliability/parser-limits.test.ts checks the answers).
//   node --import tsx bench/healthz-under-bodies.ts [seconds, default 20] [only: a word of the bodies to send]
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { startGatehouse, stop } from './lib.js';

const SECONDS = Number(process.argv[2]) || 20;
const ONLY = process.argv[3];
const MB = 1_048_576;
const xml = (inner: string) => `<?xml version="1.0"?><data>${inner}</data>`;

/** Near the default bodyLimit (1 MB) and parserLimits (depth 32, 1000 values, 256 attributes, 64 KB of XML, 64 KB values). */
const ALL: Array<{ what: string; type: string; body: string }> = [
  { what: 'XML, 1 MB of one text node', type: 'application/xml', body: xml(`<name>${'x'.repeat(MB - 100)}</name>`) },
  { what: 'XML, 250 KB of 2001+ elements', type: 'application/xml', body: xml('<a>1</a>'.repeat(31_000)) },
  { what: 'XML, 257 attributes', type: 'application/xml', body: xml(`<a ${Array.from({ length: 257 }, (_, i) => `x${i}="1"`).join(' ')}/>`) },
  { what: 'XML, 64 KB, 999 elements', type: 'application/xml', body: xml(`<v>${'y'.repeat(57)}</v>`.repeat(999)) },
  { what: 'JSON, 1 MB array', type: 'application/json', body: `[${Array.from({ length: 200_000 }, () => '1.5').join(',')}]`.slice(0, MB - 10) + ']' },
  { what: 'JSON, depth 33', type: 'application/json', body: '['.repeat(33) + ']'.repeat(33) },
  { what: 'urlencoded, 1 MB of keys', type: 'application/x-www-form-urlencoded', body: Array.from({ length: 80_000 }, (_, i) => `k${i}=v`).join('&').slice(0, MB - 10) },
  { what: 'JSON, 1 MB string', type: 'application/json', body: JSON.stringify({ name: 'x'.repeat(MB - 100) }) },
  { what: 'JSON, 1 MB of 64 KB values', type: 'application/json', body: JSON.stringify(Object.fromEntries(['name', 'mail', ...Array.from({ length: 13 }, (_, i) => `f${i}`)].map((k) => [k, 'x'.repeat(65_000)]))) },
];

const WORST = ONLY ? ALL.filter((w) => w.what.includes(ONLY)) : ALL;

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

async function probe(url: string, seconds: number): Promise<number[]> {
  const out: number[] = [];
  const until = Date.now() + seconds * 1000;
  while (Date.now() < until) {
    const t0 = performance.now();
    await (await fetch(`${url}/healthz`)).arrayBuffer();
    out.push(performance.now() - t0);
    await new Promise((r) => setTimeout(r, 20));
  }
  return out.sort((a, b) => a - b);
}

const summary = (ms: number[]) => `p50 ${quantile(ms, 0.5).toFixed(1)} ms, p99 ${quantile(ms, 0.99).toFixed(1)} ms, max ${ms[ms.length - 1].toFixed(1)} ms (${ms.length} probes)`;

/** The load, in a process of its own: 8 clients sending the bodies in turn until stdin closes; prints the answers. */
const LOAD = `
const { url, worst } = JSON.parse(require('node:fs').readFileSync(process.argv[1], 'utf8'));
let stopped = false;
process.stdin.on('data', () => {}).on('end', () => { stopped = true; });
const answers = {};
Promise.all(Array.from({ length: 8 }, async (_, i) => {
  // Each client goes round every kind of body, starting at its own: all kinds are sent, 8 at a time.
  for (let n = i; !stopped; n++) {
    const w = worst[n % worst.length];
    const seen = (answers[w.what] ??= {});
    const r = await fetch(url + '/rest/user/register.json', { method: 'POST', headers: { 'Content-Type': w.type, Accept: 'application/json' }, body: w.body }).catch(() => null);
    if (r) await r.arrayBuffer();
    const status = r ? r.status : 0;
    seen[status] = (seen[status] ?? 0) + 1;
  }
})).then(() => process.stdout.write(JSON.stringify(answers)));
`;

await main();

async function main(): Promise<void> {
  const { url, child, dir } = await startGatehouse({ env: { GATEHOUSE_VARIABLE_user_register: '1', GATEHOUSE_VARIABLE_user_email_verification: 'false' } });
  try {
    console.log(`/healthz alone:            ${summary(await probe(url, Math.min(5, SECONDS)))}`);
    // The 8 clients run in a process of their own: the probe's event loop measures the server, not the load.
    const spec = path.join(dir, 'worst-bodies.json');
    fs.writeFileSync(spec, JSON.stringify({ url, worst: WORST }));
    const load = spawn(process.execPath, ['-e', LOAD, spec], { stdio: ['pipe', 'pipe', 'inherit'] });
    let printed = '';
    load.stdout.on('data', (d) => { printed += d; });
    const ended = new Promise((resolve) => load.once('exit', resolve));
    const loaded = await probe(url, SECONDS);
    load.stdin.end();
    await ended;
    const answers = JSON.parse(printed) as Record<string, Record<string, number>>;
    console.log(`/healthz, 8 worst bodies:  ${summary(loaded)}`);
    for (const [what, seen] of Object.entries(answers)) console.log(`  ${what.padEnd(42)} ${Object.entries(seen).map(([s, n]) => `${n} × ${s === '0' ? 'no answer' : s}`).join(', ')}`);
  } finally {
    await stop(child);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
