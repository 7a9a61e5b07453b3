import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FORMATTERS } from '../../../src/protocols/services3/formats/index.js';
import { phpJsonEncode, renderJson } from '../../../src/protocols/services3/formats/json.js';
import { markPhpObject } from '../../../src/lib/php-values.js';
import { FORMAT_STEPS } from './recorded.js';

test('every recorded JSON body re-renders byte for byte from its parsed value', () => {
  let checked = 0;
  for (const s of FORMAT_STEPS) {
    const ct = s.response?.headers.find(([k]) => k.toLowerCase() === 'content-type')?.[1];
    if (ct !== 'application/json' || s.response?.body_json === undefined) continue;
    assert.equal(FORMATTERS.json.render(s.response.body_json, { query: {} }), s.response.body, `step ${s.step}`);
    checked++;
  }
  assert.ok(checked >= 20, `checked ${checked} steps`);
});

test('scalars are wrapped, null is not', () => {
  assert.equal(renderJson(true), '[true]');
  assert.equal(renderJson(false), '[false]');
  assert.equal(renderJson('x'), '["x"]');
  assert.equal(renderJson(5), '[5]');
  assert.equal(renderJson(1.5), '[1.5]');
  assert.equal(renderJson(null), 'null');
  assert.equal(renderJson(undefined), 'null');
});

test('PHP arrays: lists, maps, empty arrays and PHP objects', () => {
  assert.equal(renderJson([]), '[]');
  assert.equal(renderJson({}), '[]');
  assert.equal(renderJson(markPhpObject({})), '{}');
  assert.equal(renderJson({ 0: 'a', 1: 'b' }), '["a","b"]');
  assert.equal(renderJson({ 1: 'a' }), '{"1":"a"}');
  assert.equal(renderJson({ 2: 'authenticated user' }), '{"2":"authenticated user"}');
  assert.equal(renderJson(markPhpObject({ 0: 'a' })), '{"0":"a"}');
  assert.equal(renderJson({ a: undefined, b: [undefined] }), '{"b":[null]}');
});

test('strings: \\uXXXX for non-ASCII and controls, slashes and <>&\' unescaped', () => {
  assert.equal(phpJsonEncode('é😀'), '"\\u00e9\\ud83d\\ude00"');
  assert.equal(phpJsonEncode('a/b <em class="x">&\'</em>'), '"a/b <em class=\\"x\\">&\'</em>"');
  assert.equal(phpJsonEncode('\u0001\b\f\n\r\t\\\u007f'), '"\\u0001\\b\\f\\n\\r\\t\\\\\u007f"');
  assert.equal(phpJsonEncode('\\/'), '"\\\\/"');
  assert.equal(phpJsonEncode({ 'ü': 1 }), '{"\\u00fc":1}');
  assert.equal(phpJsonEncode('bad \ud800'), 'null');
});

test('numbers as PHP prints them', () => {
  assert.equal(phpJsonEncode(0.1), '0.1');
  assert.equal(phpJsonEncode(0.1 + 0.2), '0.30000000000000004');
  assert.equal(phpJsonEncode(1e25), '1.0e+25');
  assert.equal(phpJsonEncode(0.00001), '1.0e-5');
  assert.equal(phpJsonEncode(-2.5e-7), '-2.5e-7');
  assert.equal(phpJsonEncode(2 ** 60), '1152921504606846976');
  assert.equal(phpJsonEncode(-0), '0');
  assert.equal(phpJsonEncode(NaN), '0');
  assert.equal(phpJsonEncode(10n), '10');
});
