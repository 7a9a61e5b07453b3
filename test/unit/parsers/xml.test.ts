import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { GatehouseError } from '../../../src/core/errors.js';
import { parseXml } from '../../../src/protocols/services3/parsers/xml.js';
import { renderXml } from '../../../src/protocols/services3/formats/xml.js';
import { step } from '../formats/recorded.js';
import { FUZZ_RUNS, FUZZ_TIMEOUT_MS, valueOrGatehouseError } from './fuzz.js';

const parse = (s: string) => parseXml(Buffer.from(s));
const fails = (s: string | Buffer, message: RegExp) => assert.throws(() => parseXml(Buffer.isBuffer(s) ? s : Buffer.from(s)),
  (e: unknown) => e instanceof GatehouseError && e.code === 'invalid_xml' && message.test(e.message), String(s));

test('recorded XML bodies: the root name is ignored (steps 42, 43, 54)', () => {
  assert.deepEqual(parse(step(42).request.body!), { username: 'alice', password: 'alicepass' });
  assert.deepEqual(parse(step(43).request.body!), { username: 'alice', password: 'alicepass' });
  assert.deepEqual(parse(step(54).request.body!), { name: 'form7', mail: 'form7@example.com', pass: 'p' });
});

test('our own XML output reads back (is_array lists, nesting)', () => {
  const data = { name: 'a', roles: { 0: 'x', 1: 'y' }, deep: { list: ['1', '2'], k: 'v' } };
  assert.deepEqual(parseXml(Buffer.from(renderXml(data))), { name: 'a', roles: ['x', 'y'], deep: { list: ['1', '2'], k: 'v' } });
});

test('unmarshalXML rules', () => {
  assert.deepEqual(parse('<d><a> x &amp; &lt;y&gt; &#233;&#x41;</a><b/><c><![CDATA[<raw>]]></c></d>'), { a: ' x & <y> éA', b: '', c: '<raw>' });
  assert.deepEqual(parse('<d><a>1</a><a>2</a></d>'), { a: '2' });
  assert.deepEqual(parse('<d><l is_array="true"><item>a</item><item><k>v</k></item><other/></l></d>'), { l: ['a', { k: 'v' }, ''] });
  assert.deepEqual(parse('<d><l is_array="false"><item>a</item></l></d>'), { l: ['a'] });
  assert.deepEqual(parse('<d><n><x is_raw="true">7</x><y>8</y></n></d>'), { n: '7' });
  assert.deepEqual(parse('<d><a>1</a><x is_raw="1">7</x></d>'), ['7']);
  assert.deepEqual(parse('<d>text only</d>'), {});
  assert.deepEqual(parse('<d/>'), {});
  assert.deepEqual(parse('<d><a>1<!-- c -->2</a></d>'), { a: '12' });
  assert.deepEqual(parse('<d xmlns:p="urn:x"><p:a>1</p:a><b>2</b></d>'), { b: '2' });
  assert.deepEqual(parse('<d xmlns="urn:x"><b>2</b></d>'), { b: '2' });
  assert.deepEqual(parse('<?xml version="1.0" encoding="utf-8"?>\r\n<d><a>x\r\ny</a></d>'), { a: 'x\ny' });
  assert.deepEqual(parse('\ufeff<d><a>1</a></d>'), { a: '1' });
});

test('parse failures: 406 messages in the "Line L, Col C: msg" style', () => {
  fails('', /^Line 1, Col 1: Document is empty\n\n$/);
  fails('hello', /^Line 1, Col 1: Start tag expected, &#039;&lt;&#039; not found\n\n$/);
  fails('<a><b></a>', /^Line 1, Col \d+: .+\n\n$/);
  fails('<a/><b/>', /Extra content at the end of the document/);
  fails('<a/>junk', /Extra content/);
  fails('<a>&foo;</a>', /Entity &#039;foo&#039; not defined/);
  fails('<a>AT&T</a>', /EntityRef/);
  fails('<a>&#0;</a>', /invalid xmlChar value 0/);
  fails('<a>\u0001</a>', /PCDATA invalid Char value 1/);
  fails('<a>\n<b c=1/></a>', /^Line 2, Col \d+: /);
  fails(Buffer.from([0x3c, 0x61, 0x3e, 0xff, 0x3c, 0x2f, 0x61, 0x3e]), /not proper UTF-8/);
  fails(`${'<a>'.repeat(257)}${'</a>'.repeat(257)}`, /Excessive depth/);
  assert.doesNotThrow(() => parse(`${'<a>'.repeat(256)}${'</a>'.repeat(256)}`));
});

test('no DTD or entity expansion', () => {
  fails('<!DOCTYPE d [<!ENTITY e "x">]><d><a>&e;</a></d>', /DOCTYPE is not allowed/);
  const lol = '<!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><l><x>&b;</x></l>';
  fails(lol, /DOCTYPE/);
  fails('<!DOCTYPE d SYSTEM "file:///etc/passwd"><d>&xxe;</d>', /DOCTYPE/);
});

const NAMES = ['d', 'a', 'b', 'item', 'x:y'];
const xmlTree: fc.Arbitrary<string> = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true },
    fc.string({ maxLength: 8 }).map((t) => t.replace(/[<&]/g, '')),
    fc.tuple(fc.constantFrom(...NAMES), fc.constantFrom('', ' is_array="true"', ' is_raw="1"', ' xmlns:x="u"'), fc.array(tie('node'), { maxLength: 4 }))
      .map(([n, attr, kids]) => `<${n}${attr}>${kids.join('')}</${n}>`),
    fc.constantFrom('<![CDATA[<&>]]>', '<!-- c -->', '&amp;', '&#65;', '&bad;', '<e/>', '<', '&', ']]>'),
  ),
})).node as fc.Arbitrary<string>;

test('property: random XML and random bytes give a value or invalid_xml', { timeout: FUZZ_TIMEOUT_MS }, async () => {
  const body = fc.oneof(
    xmlTree.map((t) => Buffer.from(`<root>${t}</root>`)),
    xmlTree.map((t) => Buffer.from(t)),
    fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)),
    fc.string({ unit: 'binary', maxLength: 100 }).map((s) => Buffer.from(`<r>${s}</r>`)),
  );
  await fc.assert(fc.asyncProperty(body, (b) => valueOrGatehouseError(() => parseXml(b))), { numRuns: FUZZ_RUNS });
});
