// Fuzzes every request parser with the limits the server applies: mutated valid bodies, structural
// tokens, repetition bombs. Each case must return a value or throw a GatehouseError that maps below 500;
// anything else is a crash, a case slower than HANG_MS a hang.
//   node --import tsx bench/fuzz-parsers.ts [cases per parser, default 1000000] [seed]
// test/reliability/fuzz-parsers.test.ts runs a bounded number of cases in CI.
import { defaultConfig } from '../src/config/config.js';
import { GatehouseError } from '../src/core/errors.js';
import { toServicesError } from '../src/protocols/services3/error-status.js';
import { parseRequestBody } from '../src/protocols/services3/parsers/index.js';

const HANG_MS = 1_000;
/** A parse still pending after this is one that will never settle. */
const NEVER_MS = 5_000;

const SEEDS: Record<string, { type: string; bodies: string[]; tokens: string[] }> = {
  json: {
    type: 'application/json',
    bodies: ['{"name":"a","mail":"a@example.com","pass":"x"}', '{"data":{"field_x":{"und":[{"value":"1"}]}},"roles":{"2":"authenticated"}}', '[1,2,{"a":[null,true,false,1.5e3]}]', '"x"', '0', ''],
    tokens: ['{', '}', '[', ']', '"', '\\', '\\u0000', '\\ud800', ',', ':', 'null', '1e999', '"__proto__"', '"constructor"', '\u00e9', '\xff'],
  },
  xml: {
    type: 'application/xml',
    bodies: ['<?xml version="1.0"?><data><name>a</name><mail>a@example.com</mail></data>', '<d><roles is_array="1"><i>1</i><i>2</i></roles><x is_raw="">r</x></d>', '<a xmlns:p="u"><p:b>1</p:b><c><![CDATA[<>]]></c><!-- c --></a>'],
    tokens: ['<', '>', '</', '/>', '<!DOCTYPE a [<!ENTITY e "x">]>', '&amp;', '&e;', '&#0;', '&#x110000;', '<![CDATA[', ']]>', '<!--', '-->', '<?x ?>', ' a="1"', ' is_array="1"', '<constructor>', '<__proto__>', 'xmlns:q="v"', '\u00e9', '\xff'],
  },
  urlencoded: {
    type: 'application/x-www-form-urlencoded',
    bodies: ['name=a&mail=a%40example.com&pass=x', 'a[b][]=1&a[b][]=2&a[c]=3', 'account[name]=x&roles[2]=2&x.y=1&%20z=2'],
    tokens: ['&', '=', '[', ']', '[]', '%', '%00', '%zz', '+', '.', ' ', '__proto__', 'constructor', '\u00e9'],
  },
  multipart: {
    type: 'multipart/form-data; boundary=XyZ',
    bodies: ['--XyZ\r\nContent-Disposition: form-data; name="name"\r\n\r\na\r\n--XyZ\r\nContent-Disposition: form-data; name="f"; filename="x.txt"\r\nContent-Type: text/plain\r\n\r\nhello\r\n--XyZ--\r\n'],
    tokens: ['--XyZ', '\r\n', 'Content-Disposition: form-data; name="a[]"', 'filename="', '"', ';', '--XyZ--', '\r\n\r\n'],
  },
};

/** mulberry32: a small seeded PRNG, so a failing case can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function mutate(rand: () => number, seed: { bodies: string[]; tokens: string[] }): Buffer {
  const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)];
  let s = pick(seed.bodies);
  const steps = 1 + Math.floor(rand() * 6);
  for (let i = 0; i < steps; i++) {
    const at = Math.floor(rand() * (s.length + 1));
    const r = rand();
    if (r < 0.35) s = s.slice(0, at) + pick(seed.tokens) + s.slice(at);
    else if (r < 0.5) s = s.slice(0, at) + s.slice(at + 1 + Math.floor(rand() * 8));
    else if (r < 0.6) s = s.slice(0, at) + String.fromCharCode(Math.floor(rand() * 256)) + s.slice(at);
    else if (r < 0.7) { const piece = s.slice(at, at + 1 + Math.floor(rand() * 20)); s = s.slice(0, at) + piece.repeat(2 + Math.floor(rand() * 50)) + s.slice(at); }
    else if (r < 0.72) s = pick(seed.tokens).repeat(1 + Math.floor(rand() * 3000)) + s; // a bomb: deep or wide
    else s = s.slice(0, at) + pick(seed.tokens) + pick(seed.tokens) + s.slice(at);
  }
  return rand() < 0.05 ? Buffer.from(s, 'latin1') : Buffer.from(s, 'utf8');
}

/** `hangs`: never settled, or over HANG_MS twice in a row; `slowOnce`: over HANG_MS once, quick when parsed again alone. */
export interface FuzzReport { parser: string; cases: number; crashes: string[]; hangs: number; hangBodies: string[]; slowOnce: string[]; fiveHundreds: number; slowestMs: number; ms: number }

/** Runs `cases` cases against one parser. */
export async function fuzzParser(parser: string, cases: number, seed = 1): Promise<FuzzReport> {
  const spec = SEEDS[parser];
  const rand = prng(seed);
  const limits = defaultConfig().parserLimits;
  const enabled = [spec.type.split(';')[0]];
  const report: FuzzReport = { parser, cases, crashes: [], hangs: 0, hangBodies: [], slowOnce: [], fiveHundreds: 0, slowestMs: 0, ms: 0 };
  const t0 = performance.now();
  for (let i = 0; i < cases; i++) {
    const body = mutate(rand, spec);
    const started = performance.now();
    // A parse that never settles is a hang too (awaited bare, it would end the process silently, exit 13).
    let timer: NodeJS.Timeout | undefined;
    try {
      const never = new Promise<'never'>((resolve) => { timer = setTimeout(() => resolve('never'), NEVER_MS); });
      const outcome = await Promise.race([parseRequestBody({ contentType: spec.type, body, enabled, limits }), never]);
      if (outcome === 'never') {
        report.hangs++;
        if (report.hangBodies.length < 5) report.hangBodies.push(`never settled\n  body (base64): ${body.toString('base64').slice(0, 400)}`);
      }
    } catch (e) {
      if (!(e instanceof GatehouseError)) {
        if (report.crashes.length < 5) report.crashes.push(`${(e as Error)?.stack ?? String(e)}\n  body (base64): ${body.toString('base64').slice(0, 400)}`);
        else report.crashes.push('…');
      } else if (toServicesError(e).status >= 500) report.fiveHundreds++;
    } finally {
      // Cleared on every outcome: a pending timer per refused body held 5 s of cases in memory.
      clearTimeout(timer);
    }
    const took = performance.now() - started;
    report.slowestMs = Math.max(report.slowestMs, took);
    if (took > HANG_MS) {
      // A pause of the machine or the collector, or this body? Parse it again alone: only a repeat counts.
      const again = performance.now();
      await parseRequestBody({ contentType: spec.type, body, enabled, limits }).catch(() => undefined);
      const retook = performance.now() - again;
      if (retook > HANG_MS) {
        report.hangs++;
        if (report.hangBodies.length < 5) report.hangBodies.push(`slow twice (${took.toFixed(0)} ms, ${retook.toFixed(0)} ms), ${body.length} bytes\n  body (base64): ${body.toString('base64').slice(0, 400)}`);
      } else report.slowOnce.push(`${took.toFixed(0)} ms, then ${retook.toFixed(1)} ms alone (${body.length} bytes)`);
    }
  }
  report.ms = performance.now() - t0;
  return report;
}

export const PARSERS = Object.keys(SEEDS);

if (import.meta.url === `file://${process.argv[1]}`) {
  const cases = Number(process.argv[2]) || 1_000_000;
  const seed = Number(process.argv[3]) || 1;
  let bad = 0;
  for (const p of PARSERS) {
    const r = await fuzzParser(p, cases, seed);
    bad += r.crashes.length + r.hangs + r.fiveHundreds;
    console.log(`${p.padEnd(11)} ${r.cases} cases in ${(r.ms / 1000).toFixed(1)} s: ${r.crashes.length} crashes, ${r.hangs} hangs (never settled, or > ${HANG_MS} ms twice), ${r.fiveHundreds} 5xx; slowest ${r.slowestMs.toFixed(1)} ms; ${r.slowOnce.length} slow once, not again alone`);
    for (const s of r.slowOnce.slice(0, 5)) console.log(`  slow once: ${s}`);
    for (const c of [...r.crashes, ...r.hangBodies]) console.log(c);
  }
  process.exitCode = bad > 0 ? 1 : 0;
}
