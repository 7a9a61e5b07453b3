// Every parser is bounded by config `parserLimits`: bodies past a limit are refused early with 413 and a
// message naming the limit; names that are JavaScript words are plain data; /healthz keeps answering while
// eight clients send the worst bodies.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { request } from './raw.js';

const LIMITS = { maxDepth: 8, maxItems: 50, maxAttributes: 10, maxXmlBytes: 4096, maxValueChars: 100 };
const xml = (inner: string) => `<?xml version="1.0"?><data>${inner}</data>`;

/** The worst bodies of each kind: just past each limit. */
export const WORST: Array<{ what: string; type: string; body: string; status: number; message: RegExp }> = [
  { what: 'XML elements', type: 'application/xml', body: xml('<a>1</a>'.repeat(60)), status: 413, message: /too many values \(at most 50\)/ },
  { what: 'XML attributes', type: 'application/xml', body: xml(`<a ${Array.from({ length: 11 }, (_, i) => `x${i}="1"`).join(' ')}/>`), status: 413, message: /too many attributes \(at most 10\)/ },
  { what: 'XML depth', type: 'text/xml', body: xml('<a>'.repeat(9) + '</a>'.repeat(9)), status: 413, message: /too many levels of nesting \(at most 8\)/ },
  { what: 'XML bytes', type: 'application/xml', body: xml(`<name>${'x'.repeat(5000)}</name>`), status: 413, message: /too large/ },
  { what: 'JSON values', type: 'application/json', body: JSON.stringify(Array.from({ length: 60 }, () => 1)), status: 413, message: /too many values \(at most 50\)/ },
  { what: 'JSON depth', type: 'application/json', body: '['.repeat(9) + ']'.repeat(9), status: 413, message: /too many levels of nesting \(at most 8\)/ },
  { what: 'a JSON value', type: 'application/json', body: JSON.stringify({ name: 'x'.repeat(101), mail: 'a@example.com' }), status: 413, message: /too many characters in one value \(at most 100\)/ },
  { what: 'a JSON value left open', type: 'application/json', body: `{"name":"${'x'.repeat(101)}`, status: 413, message: /too many characters in one value \(at most 100\)/ },
  { what: 'a form value', type: 'application/x-www-form-urlencoded', body: `mail=a%40example.com&name=${'x'.repeat(101)}`, status: 413, message: /too many characters in one value \(at most 100\)/ },
];

describe('parser limits', () => {
  let t: TestServer;
  before(async () => { t = await startTestServer({ config: { parserLimits: LIMITS } }); });
  after(() => t.close());

  for (const w of WORST) {
    it(`refuses ${w.what} past the limit with ${w.status}`, async () => {
      const r = await request(`${t.url}/rest/user/register.json`, { body: w.body, headers: { 'Content-Type': w.type } });
      assert.equal(r.status, w.status, r.text);
      assert.match(r.text, w.message);
    });
  }

  it('keeps Drupal\'s answer for JSON nested past PHP\'s 512 levels', async () => {
    const r = await request(`${t.url}/rest/user/register.json`, { body: '['.repeat(600) + ']'.repeat(600) });
    assert.equal(r.status, 400);
    assert.deepEqual(JSON.parse(r.text), ['Invalid JSON.']);
  });

  it('accepts bodies within the limits, with elements named constructor and __proto__ as data', async () => {
    const body = xml('<name>proto</name><mail>proto@example.com</mail><pass>pw-12345</pass><constructor>c</constructor><__proto__>p</__proto__>');
    const r = await request(`${t.url}/rest/user/register.json`, { body, headers: { 'Content-Type': 'application/xml' } });
    assert.equal(r.status, 200, r.text);
    assert.equal(JSON.parse(r.text).uri.endsWith(`/user/${JSON.parse(r.text).uid}`), true);
  });

  it('answers /healthz throughout while eight clients send the worst bodies', async () => {
    let stop = false;
    const answered: number[] = [];
    const clients = Array.from({ length: 8 }, async (_, i) => {
      const w = WORST[i % WORST.length];
      while (!stop) answered.push((await request(`${t.url}/rest/user/register.json`, { body: w.body, headers: { 'Content-Type': w.type } })).status);
    });
    const health: number[] = [];
    for (let i = 0; i < 20; i++) health.push((await request(`${t.url}/healthz`)).status);
    stop = true;
    await Promise.all(clients);
    assert.deepEqual(health, Array(20).fill(200));
    assert.ok(answered.length >= 8);
    assert.deepEqual([...new Set(answered)], [413]);
  });
});
