// Self-tests of the conformance harness, against the fake server of ./fake-server.ts (recorded answers with
// fresh secrets, its own host:port and cookie name, shifted uids and epochs): every scenario must replay at
// 100%, and differences planted either in what the fake serves or in what the harness expects must be caught.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fakeServerFactory } from './fake-server.js';
import { parseSetCookie } from './compare.js';
import { parseBencode, parseJsonish, parsePhpSerialized, parseXml } from './formats.js';
import { parseResponse } from './raw-http.js';
import { parseVset, replayScenario, type ScenarioResult } from './replay.js';
import { predictSessionName } from './substitutions.js';
import { type HttpStep, isHttpStep, listScenarios, loadScenario, type Step } from './transcripts.js';

const copy = (steps: Step[]): Step[] => structuredClone(steps);
const httpStep = (steps: Step[], n: number): HttpStep => {
  const s = steps.find((x) => x.step === n);
  assert.ok(s && isHttpStep(s), `step ${n} is an HTTP step`);
  return s;
};

/** Replay `expected` while the fake serves `served`; return the result and the fake's request problems. */
async function replay(name: string, served: Step[], expected: Step[] = served): Promise<ScenarioResult & { problems: string[] }> {
  const fake = fakeServerFactory(served);
  const r = await replayScenario(name, { steps: expected, startServer: fake.start });
  return { ...r, problems: fake.problems };
}

/** Exactly the step `n` fails, with a first difference matching `re`. */
function onlyFails(r: ScenarioResult, n: number, re: RegExp) {
  const failed = r.steps.filter((s) => s.status === 'FAIL');
  assert.deepEqual(failed.map((s) => s.step), [n], `failing steps: ${failed.map((s) => `#${s.step} ${s.diff}`).join(' | ')}`);
  assert.match(failed[0].diff ?? '', re);
}

describe('conformance harness against the recorded-response fake', () => {
  for (const name of listScenarios()) {
    it(`replays ${name} at 100% with the requests the recording sent`, async () => {
      const r = await replay(name, loadScenario(name));
      const bad = r.steps.filter((s) => s.status !== 'PASS').map((s) => `#${s.step} ${s.status} ${s.diff}`);
      assert.deepEqual(bad, []);
      assert.equal(r.passed, r.compared);
      assert.ok(r.compared > 0);
      assert.deepEqual(r.problems, []);
    });
  }
});

describe('planted differences are caught', () => {
  const login = () => loadScenario('seed-login');

  it('a status code', async () => {
    const exp = copy(login());
    httpStep(exp, 5).response.status = 201;
    onlyFails(await replay('seed-login', login(), exp), 5, /^status: expected 201, got 200/);
  });

  it('a reason phrase', async () => {
    const served = copy(login());
    const st = httpStep(served, 12);
    st.response.status_line = st.response.status_line.replace('not logged in', 'logged out');
    onlyFails(await replay('seed-login', served, login()), 12, /^reason: /);
  });

  it('a body value type ("1" vs 1)', async () => {
    const served = copy(login());
    const st = httpStep(served, 5);
    st.response.body = st.response.body.replace('"uid":"1"', '"uid":1');
    onlyFails(await replay('seed-login', served, login()), 5, /body\.uid: expected string "1", got number 1/);
  });

  it('[true] vs true', async () => {
    const served = copy(login());
    httpStep(served, 10).response.body = 'true';
    onlyFails(await replay('seed-login', served, login()), 10, /^body: expected array/);
  });

  it('a missing Set-Cookie', async () => {
    const served = copy(login());
    const st = httpStep(served, 2);
    st.response.headers = st.response.headers.filter(([k]) => k.toLowerCase() !== 'set-cookie');
    const r = await replay('seed-login', served, login());
    assert.match(r.steps.find((s) => s.step === 2)?.diff ?? '', /^set-cookie: expected new\(SESS[0-9a-f]{32}\), got none/);
  });

  it('a cookie attribute (HttpOnly dropped)', async () => {
    const served = copy(login());
    const st = httpStep(served, 2);
    st.response.headers = st.response.headers.map(([k, v]) => [k, k.toLowerCase() === 'set-cookie' ? v.replace('; HttpOnly', '') : v]);
    onlyFails(await replay('seed-login', served, login()), 2, /attributes expected .*httponly/);
  });

  it('a deleted cookie where a new one was expected', async () => {
    const served = copy(login());
    const st = httpStep(served, 2);
    st.response.headers = st.response.headers.map(([k, v]) =>
      [k, k.toLowerCase() === 'set-cookie' ? v.replace(/=[^;]+;.*$/, '=deleted; expires=Thu, 01 Jan 1970 00:00:01 GMT; Max-Age=0; path=/; HttpOnly') : v]);
    const r = await replay('seed-login', served, login());
    assert.match(r.steps.find((s) => s.step === 2)?.diff ?? '', /expected new\(.*\), got deleted\(/);
  });

  it('a token that should be stable but is fresh', async () => {
    const served = copy(login());
    httpStep(served, 4).response.body = 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
    const r = await replay('seed-login', served, login());
    assert.match(r.steps.find((s) => s.step === 4)?.diff ?? '', /^body: secret: recorded .* is live .*, got /);
  });

  it('a token that should be fresh but is reused', async () => {
    const steps = loadScenario('seed-register'); // steps 2 and 3: two anonymous tokens, different
    const served = copy(steps);
    httpStep(served, 3).response.body = httpStep(served, 2).response.body;
    const r = await replay('seed-register', served, steps);
    assert.match(r.steps.find((s) => s.step === 3)?.diff ?? '', /already stands for recorded/);
  });

  it('a Content-Type', async () => {
    const served = copy(login());
    const st = httpStep(served, 5);
    st.response.headers = st.response.headers.map(([k, v]) => [k, k.toLowerCase() === 'content-type' ? 'text/plain' : v]);
    const r = await replay('seed-login', served, login());
    assert.match(r.steps.find((s) => s.step === 5)?.diff ?? '', /^content-type: expected application\/json, got text\/plain/);
  });

  it('an XML element text, a JSONP callback, a PHP and a bencode value', async () => {
    const steps = loadScenario('formats');
    const served = copy(steps);
    const xml = httpStep(served, 30).response;
    xml.body = xml.body.replace('<name>alice</name>', '<name>alicia</name>');
    const jsonp = httpStep(served, 31).response;
    jsonp.body = jsonp.body.replace(/^x\(/, 'y(');
    const php = httpStep(served, 32).response;
    php.body = php.body.replace('s:4:"name";s:5:"alice"', 's:4:"name";s:5:"alicE"');
    const ben = httpStep(served, 33).response;
    ben.body = ben.body.replace('4:name5:alice', '4:name5:alicE');
    const r = await replay('formats', served, steps);
    const diff = (n: number) => r.steps.find((s) => s.step === n)?.diff ?? '';
    assert.match(diff(30), /^body:\/result\/name\/text\(\): at char 4: expected "alice", got "alicia"/);
    assert.match(diff(31), /JSONP wrapper expected "x\(…\);", got "y\(…\);"/);
    assert.match(diff(32), /^body\.name: /);
    assert.match(diff(33), /^body: token \d+: /);
    assert.equal(r.compared - r.passed, 4);
  });

  it('object key order alone is not a difference', async () => {
    const served = copy(login());
    const st = httpStep(served, 5);
    const obj = JSON.parse(st.response.body) as Record<string, unknown>;
    st.response.body = JSON.stringify(Object.fromEntries(Object.entries(obj).reverse()));
    const r = await replay('seed-login', served, login());
    assert.equal(r.passed, r.compared);
  });

  it('a mail subject', async () => {
    const steps = loadScenario('user-ops');
    const served = copy(steps);
    const m = served.find((s) => s.title === 'mails' && !isHttpStep(s));
    assert.ok(m && !isHttpStep(m));
    m.action = m.action.replace('Replacement login information', 'Something else');
    const r = await replay('user-ops', served, steps);
    assert.match(r.steps.find((s) => s.step === m.step)?.diff ?? '', /^mails\[\d+\]\.subject: /);
  });
});

describe('harness pieces', () => {
  it('predicts Drupal session names from the Host', () => {
    assert.equal(predictSessionName('127.0.0.1:8070'), 'SESSfe96f6b8880f9bdcaa7dadae3db02b95');
  });
  it('reads recorded vset texts', () => {
    assert.deepEqual(parseVset('user_register=1, user_email_verification=1 (TRUE)'), [['user_register', 1], ['user_email_verification', 1]]);
    assert.deepEqual(parseVset('user_register=2 (visitors, admin approval), user_email_verification=FALSE'), [['user_register', 2], ['user_email_verification', false]]);
    assert.deepEqual(parseVset('mail_system back to TestingMailSystem'), [['mail_system', { 'default-system': 'TestingMailSystem' }]]);
  });
  it('parses status lines with odd reasons, and chunked bodies', () => {
    const r = parseResponse(Buffer.from('HTTP/1.1 403 : Access denied\r\nA: 1\r\nA: 2\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n'), 'GET');
    assert.equal(r.reason, ': Access denied');
    assert.deepEqual(r.headers.slice(0, 2), [['A', '1'], ['A', '2']]);
    assert.equal(r.body, 'abc');
    assert.equal(parseResponse(Buffer.from('HTTP/1.1 200\r\n\r\n'), 'GET').reason, '');
  });
  it('parses the body formats', () => {
    assert.deepEqual(parseJsonish('cb([1]);'), { callback: 'cb', wrapper: 'cb(…);', value: [1] });
    assert.deepEqual(parsePhpSerialized('a:2:{i:0;s:1:"a";i:1;b:1;}'), ['a', true]);
    assert.deepEqual(parseBencode('d3:uidi5ee'), [{ t: 'd' }, { t: 's', v: 'uid' }, { t: 'i', v: 5 }, { t: 'e' }]);
    assert.deepEqual(parseXml('<?xml version="1.0"?>\n<r a="1"><x>&lt;</x></r>\n').children, [{ tag: 'x', attrs: {}, children: [{ text: '<' }] }]);
    assert.deepEqual(parseSetCookie('S=deleted; expires=Thu, 01 Jan 1970 00:00:01 GMT; Max-Age=0; path=/').effect, 'deleted');
  });
});
