#!/usr/bin/env node
// npm run conformance [-- --only a,b] [--verbose] [--dir DIR] [--update-baseline]
//                     [--cookie-names host|learn|keep] [--fixed-uids N] [--keep-host] [--fake] [--json FILE]
//
// Replays the recorded Drupal 7 + Services 3.x transcripts (../shared/conformance by default) against fresh
// Gatehouse test servers (test/helpers/test-server.ts) through test/conformance/replay.ts, prints one line per
// step and a figure per scenario, and ends with `conformance: P/N steps match (S/M scenarios fully)`.
// --update-baseline raises the figures in test/conformance/baseline.json that went up (never lowers them).
// --fake replays against test/conformance/fake-server.ts (recorded answers, fresh secrets): a harness self-check.
// Exit code 0 whenever the replay ran, whatever matched; 2 when the harness itself broke.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const BASELINE = `${ROOT}test/conformance/baseline.json`;

function parseArgs(argv) {
  const o = { only: null, verbose: false, dir: null, update: false, cookieNames: null, fixedUids: null, keepHost: false, fake: false, json: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--only') o.only = val().split(',').map((s) => s.trim()).filter(Boolean);
    else if (a === '--verbose' || a === '-v') o.verbose = true;
    else if (a === '--dir') o.dir = val();
    else if (a === '--update-baseline') o.update = true;
    else if (a === '--cookie-names') o.cookieNames = val();
    else if (a === '--fixed-uids') o.fixedUids = Number(val());
    else if (a === '--keep-host') o.keepHost = true;
    else if (a === '--fake') o.fake = true;
    else if (a === '--json') o.json = val();
    else if (a === '--help' || a === '-h') o.help = true;
    else throw new Error(`unknown argument ${a}`);
  }
  if (o.cookieNames && !['host', 'learn', 'keep'].includes(o.cookieNames)) throw new Error('--cookie-names: host, learn or keep');
  if (o.fixedUids !== null && !(Number.isInteger(o.fixedUids) && o.fixedUids >= 0)) throw new Error('--fixed-uids: a number');
  return o;
}

const indent = (s, pre = '        ') => String(s).replace(/^/gm, pre);
const clip = (s, n = 1500) => (s.length > n ? `${s.slice(0, n)}…` : s);

function printStep(r, verbose) {
  const id = `#${r.step}`.padEnd(4);
  if (r.kind === 'action') return console.log(`  ACT  ${id} ${r.title} (${r.detail})`);
  const what = r.kind === 'http' ? r.title : `${r.kind.toUpperCase()} ${r.title}`;
  const label = what.length > 70 ? `${what.slice(0, 69)}…` : what;
  const tail = r.status === 'PASS' ? (r.got ? ` -> ${r.got.status}` : '') : ` -- ${r.diff ?? ''}`;
  console.log(`  ${r.status.padEnd(4)} ${id} ${label}${tail}`);
  if (verbose && r.status === 'FAIL' && r.sent) {
    const q = r.sent;
    console.log(indent(`sent: ${q.method} ${q.path}\n  ${JSON.stringify(q.headers)}${q.body != null ? `\n  body ${clip(JSON.stringify(q.body), 400)}` : ''}`));
    const e = r.expected;
    if (e) console.log(indent(`expected: ${e.status_line}\n  ${JSON.stringify(e.headers)}\n  ${clip(JSON.stringify(e.body))}`));
    const g = r.got;
    if (g) console.log(indent(`got: ${g.statusLine}\n  ${JSON.stringify(g.headers)}\n  ${clip(JSON.stringify(g.body))}`));
    if (r.diffs && r.diffs.length > 1) console.log(indent(`all differences:\n${r.diffs.map((d) => `  - ${d}`).join('\n')}`));
  }
}

async function main() {
  let o;
  try {
    o = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`conformance: ${e.message}`);
    return 2;
  }
  if (o.help) {
    const head = fs.readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(1);
    console.log(head.slice(0, head.findIndex((l) => !l.startsWith('//'))).map((l) => l.replace(/^\/\/ ?/, '')).join('\n'));
    return 0;
  }
  register();
  const T = await import('../test/conformance/transcripts.ts');
  const { replayScenario } = await import('../test/conformance/replay.ts');
  const dir = o.dir ? fs.realpathSync(o.dir) : T.DEFAULT_TRANSCRIPT_DIR;
  const { fakeServerFactory } = await import('../test/conformance/fake-server.ts');
  if (!o.fake && !fs.existsSync(`${ROOT}test/helpers/test-server.ts`)) {
    console.error('conformance: test/helpers/test-server.ts does not exist yet (the server helper the replay drives)');
    return 2;
  }
  let names = T.listScenarios(dir);
  if (o.only) {
    const unknown = o.only.filter((n) => !names.includes(n));
    if (unknown.length) {
      console.error(`conformance: unknown scenario(s) in ${dir}: ${unknown.join(', ')}`);
      return 2;
    }
    names = o.only;
  }
  // Site B (recorded Host without a port, e.g. www.example.test): keep its Host, learn its cookie names.
  const siteB = dir === fs.realpathSync(T.SITE_B_TRANSCRIPT_DIR);
  const opts = {
    dir,
    cookieNames: o.cookieNames ?? (siteB ? 'learn' : 'host'),
    fixedUids: o.fixedUids ?? (siteB ? 32 : 4),
    keepRecordedHost: o.keepHost || siteB,
    // Site B's transcripts start from its dump: each reset-db imports it afresh (test/site-b/site-b-fixture.ts).
    ...(siteB ? { startOptions: { preset: 'site-b' } } : {}),
    onStep: (r) => printStep(r, o.verbose),
  };
  console.log(`${o.fake ? 'FAKE server (recorded answers); ' : ''}transcripts ${dir}; cookie names: ${opts.cookieNames}; fixed uids 0..${opts.fixedUids}; Host ${opts.keepRecordedHost ? 'as recorded' : 'the live host:port'}`);
  const results = [];
  const t0 = Date.now();
  for (const name of names) {
    console.log(`== ${name}`);
    let run = opts;
    if (o.fake) {
      const steps = T.loadScenario(name, dir);
      run = { ...opts, steps, startServer: fakeServerFactory(steps).start };
    }
    const r = await replayScenario(name, run);
    results.push(r);
    console.log(`  -> ${name}: ${r.passed}/${r.compared}${r.skipped ? ` (${r.skipped} skipped)` : ''}`);
  }
  const P = results.reduce((a, r) => a + r.passed, 0);
  const N = results.reduce((a, r) => a + r.compared, 0);
  const fully = (r) => r.compared > 0 && r.passed === r.compared;
  console.log('\n== summary');
  for (const r of results) console.log(`  ${fully(r) ? 'ok  ' : 'FAIL'} ${r.name.padEnd(34)} ${String(r.passed).padStart(3)}/${r.compared}${r.skipped ? `  (${r.skipped} skipped)` : ''}`);
  console.log(`  ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  if (o.update) updateBaseline(results);
  if (o.json) {
    const slim = results.map((r) => ({ ...r, steps: r.steps.map(({ got, expected, ...s }) => ({ ...s, got: got && { statusLine: got.statusLine, headers: got.headers, body: got.body } })) }));
    fs.writeFileSync(o.json, JSON.stringify(slim, null, 1));
  }
  console.log(`conformance: ${P}/${N} steps match (${results.filter(fully).length}/${results.length} scenarios fully)`);
  return 0;
}

function updateBaseline(results) {
  const base = fs.existsSync(BASELINE) ? JSON.parse(fs.readFileSync(BASELINE, 'utf8')) : {};
  const raised = [];
  for (const r of results) {
    if (r.passed > (base[r.name] ?? 0)) {
      raised.push(`${r.name} ${base[r.name] ?? 0} -> ${r.passed}`);
      base[r.name] = r.passed;
    }
  }
  fs.writeFileSync(BASELINE, `${JSON.stringify(base, null, 2)}\n`);
  console.log(raised.length ? `baseline raised: ${raised.join(', ')}` : 'baseline unchanged (no figure went up)');
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    console.error(`conformance: harness failure: ${(e && e.stack) || e}`);
    process.exitCode = 2;
  },
);
