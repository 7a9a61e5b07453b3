import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FORMATTERS } from '../../../src/protocols/services3/formats/index.js';
import { elementName, renderXml } from '../../../src/protocols/services3/formats/xml.js';
import { markPhpObject } from '../../../src/lib/php-values.js';
import { jsonData, step } from './recorded.js';

const xml = (data: unknown) => FORMATTERS.xml.render(data, { query: {} });

test('user 2 as JSON (step 29) renders as the recorded XML of steps 30, 35, 36, 37', () => {
  const data = jsonData(29);
  for (const n of [30, 35, 36, 37]) assert.equal(xml(data), step(n).response.body, `step ${n}`);
});

test('the error body of step 57 (jsonp) renders as the recorded XML error body of step 56', () => {
  assert.equal(xml(jsonData(57)), step(56).response.body);
});

test('login response (step 28, same shape as 39) renders like step 39 once the recorded values are swapped in', () => {
  // Steps 28 and 39 log in different users; take step 39's values from its XML so only the renderer is tested.
  const body39 = step(39).response.body;
  const pick = (tag: string) => new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(body39)?.[1];
  const data = structuredClone(jsonData(40)) as Record<string, any>;
  data.sessid = pick('sessid');
  data.token = pick('token');
  data.user.access = '0';
  data.user.login = 1795818539;
  assert.equal(xml(data), body39);
});

test('system/connect (step 2 data) renders like steps 4, 5, 6, 8, 13, 16 with their own sessid', () => {
  for (const n of [4, 5, 6, 8, 13, 16]) {
    const body = step(n).response.body;
    const data = { ...(jsonData(2) as object), sessid: /<sessid>([^<]*)<\/sessid>/.exec(body)?.[1] };
    assert.equal(xml(data), body, `step ${n}`);
  }
});

test('register answer renders like step 55', () => {
  assert.equal(xml({ uid: '12', uri: 'http://127.0.0.1:8070/rest/user/12' }), step(55).response.body);
});

test('scalars, null and empties', () => {
  const wrap = (inner: string) => `<?xml version="1.0" encoding="utf-8"?>\n${inner}\n`;
  assert.equal(renderXml('Wrong username or password.'), wrap('<result>Wrong username or password.</result>'));
  assert.equal(renderXml(true), wrap('<result>1</result>'));
  assert.equal(renderXml(false), wrap('<result></result>'));
  assert.equal(renderXml(null), wrap('<result/>'));
  assert.equal(renderXml([]), wrap('<result/>'));
  assert.equal(renderXml({}), wrap('<result/>'));
  assert.equal(renderXml(markPhpObject({})), wrap('<result/>'));
  assert.equal(renderXml(0.1 + 0.2), wrap('<result>0.3</result>'));
  assert.equal(renderXml(1e25), wrap('<result>1.0E+25</result>'));
  assert.equal(renderXml([true, 'a']), wrap('<result is_array="true"><item>1</item><item>a</item></result>'));
  assert.equal(renderXml({ a: [], b: {} }), wrap('<result><a/><b/></result>'));
});

test('keys: numeric → item, sanitised names, empty keys skipped', () => {
  const wrap = (inner: string) => `<?xml version="1.0" encoding="utf-8"?>\n<result${inner}\n`;
  assert.equal(renderXml({ 2: 'x', '1.5': 'y', ' 3': 'z' }), wrap(' is_array="true"><item>x</item><item>y</item><item>z</item></result>'));
  assert.equal(renderXml({ 2: 'x', k: 'y' }), wrap('><item>x</item><k>y</k></result>'));
  assert.equal(renderXml({ '': 'x' }), wrap(' is_array="true"/>'));
  assert.equal(renderXml({ '': 'x', k: 'y' }), wrap('><k>y</k></result>'));
  assert.equal(elementName('a-b.c d'), 'a_b_c_d');
  assert.equal(elementName('12ab'), '_12ab');
  assert.equal(elementName('café'), 'caf__');
  assert.equal(elementName('x😀'), 'x____');
});

test('text escaping: & < > and CR only; quotes and non-ASCII kept', () => {
  assert.equal(renderXml({ m: `<em class="x">'&'</em>\r\né` }),
    `<?xml version="1.0" encoding="utf-8"?>\n<result><m>&lt;em class="x"&gt;'&amp;'&lt;/em&gt;&#13;\né</m></result>\n`);
});

test('undefined properties are skipped; undefined list items are null', () => {
  assert.equal(renderXml({ a: undefined, b: 1 }), '<?xml version="1.0" encoding="utf-8"?>\n<result><b>1</b></result>\n');
  assert.equal(renderXml([undefined]), '<?xml version="1.0" encoding="utf-8"?>\n<result is_array="true"><item/></result>\n');
});
