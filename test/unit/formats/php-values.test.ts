import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  isPhpIntKey, isPhpList, isPhpNumericString, isPhpObject, markPhpObject, phpFloatToString, phpToString,
} from '../../../src/lib/php-values.js';

test('isPhpList', () => {
  assert.equal(isPhpList([]), true);
  assert.equal(isPhpList(['a']), true);
  assert.equal(isPhpList({}), true);
  assert.equal(isPhpList({ 0: 'a', 1: 'b' }), true);
  assert.equal(isPhpList({ 1: 'a' }), false);
  assert.equal(isPhpList({ 0: 'a', x: 'b' }), false);
  assert.equal(isPhpList(markPhpObject({})), false);
  assert.equal(isPhpList('x'), false);
  assert.equal(isPhpList(null), false);
});

test('markPhpObject is a hidden marker', () => {
  const o = markPhpObject({ a: 1 });
  assert.equal(isPhpObject(o), true);
  assert.deepEqual(Object.keys(o), ['a']);
  assert.equal(JSON.stringify(o), '{"a":1}');
  assert.equal(isPhpObject({ a: 1 }), false);
  assert.equal(isPhpObject(null), false);
});

test('PHP key and numeric rules', () => {
  for (const k of ['0', '5', '-3', '9223372036854775807']) assert.equal(isPhpIntKey(k), true, k);
  for (const k of ['05', '-0', ' 5', '5.0', '', '9223372036854775808', 'a']) assert.equal(isPhpIntKey(k), false, k);
  for (const s of ['1', ' 1', '1 ', '1.', '.5', '-1e3', '+2']) assert.equal(isPhpNumericString(s), true, s);
  for (const s of ['', ' ', '.', '0x1A', '1e', 'a1']) assert.equal(isPhpNumericString(s), false, s);
});

test('floats as PHP prints them', () => {
  assert.equal(phpFloatToString(0.1, -1, 'e'), '0.1');
  assert.equal(phpFloatToString(123.456, -1, 'E'), '123.456');
  assert.equal(phpFloatToString(1e25, -1, 'E'), '1.0E+25');
  assert.equal(phpFloatToString(1.5e300, -1, 'e'), '1.5e+300');
  assert.equal(phpFloatToString(0.0001, -1, 'e'), '0.0001');
  assert.equal(phpFloatToString(0.00001, -1, 'e'), '1.0e-5');
  assert.equal(phpFloatToString(0.1 + 0.2, 14, 'E'), '0.3');
  assert.equal(phpFloatToString(123456789012345.6, 14, 'E'), '1.2345678901235E+14');
  assert.equal(phpFloatToString(-1 / 3, 14, 'E'), '-0.33333333333333');
  assert.equal(phpFloatToString(Infinity, -1, 'E'), 'INF');
  assert.equal(phpToString(true), '1');
  assert.equal(phpToString(false), '');
  assert.equal(phpToString(2 ** 62), '4611686018427387904');
});
