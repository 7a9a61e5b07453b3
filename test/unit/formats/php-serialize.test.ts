import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { phpSerialize, phpUnserialize, phpUnserializePrefix } from '../../../src/lib/php-serialize.js';
import { isPhpObject, markPhpObject } from '../../../src/lib/php-values.js';
import { step } from './recorded.js';

test('unserialize Drupal column values', () => {
  assert.equal(phpUnserialize('b:0;'), false);
  assert.equal(phpUnserialize('b:1;'), true);
  assert.equal(phpUnserialize('N;'), null);
  assert.equal(phpUnserialize('i:-42;'), -42);
  assert.equal(phpUnserialize('d:0.5;'), 0.5);
  assert.equal(phpUnserialize('d:1.0E+25;'), 1e25);
  assert.ok(Number.isNaN(phpUnserialize('d:NAN;')));
  assert.equal(phpUnserialize('s:2:"é";'), 'é');
  assert.deepEqual(phpUnserialize('a:1:{s:7:"overlay";i:1;}'), { overlay: 1 });
  assert.deepEqual(phpUnserialize('a:2:{i:0;s:1:"a";i:1;s:1:"b";}'), ['a', 'b']);
  assert.deepEqual(phpUnserialize('a:1:{i:2;s:1:"a";}'), { 2: 'a' });
  assert.deepEqual(phpUnserialize('a:0:{}'), []);
  const o = phpUnserialize('O:8:"stdClass":1:{s:1:"a";a:0:{}}') as object;
  assert.equal(isPhpObject(o), true);
  assert.deepEqual(o, { a: [] });
  const refs = phpUnserialize('a:2:{i:0;a:1:{i:0;i:1;}i:1;r:2;}') as unknown[];
  assert.equal(refs[0], refs[1]);
});

test('recorded php bodies unserialize and serialize back byte for byte (steps 10, 32)', () => {
  for (const n of [10, 32]) {
    const body = step(n).response.body;
    assert.equal(phpSerialize(phpUnserialize(body)), body, `step ${n}`);
  }
});

test('malformed input throws', () => {
  for (const bad of ['', 'x', 'b:2;', 'i:;', 's:5:"abc";', 's:1:"a"', 'a:1:{i:0;}', 'a:1:{d:0.5;i:1;}', 'N;x', 'r:1;', 'C:3:"Foo":0:{}']) {
    assert.throws(() => phpUnserialize(bad), Error, bad);
  }
});

test('prefix reading reports the length used', () => {
  assert.deepEqual(phpUnserializePrefix('s:2:"é";rest'), { value: 'é', length: 8 });
});

const phpValue = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, fc.constant(null), fc.boolean(), fc.integer(), fc.double({ noNaN: true }),
    fc.string({ unit: 'grapheme' }), tie('list'), tie('map'), tie('object')),
  list: fc.array(tie('value'), { maxLength: 4 }),
  map: fc.dictionary(fc.string(), tie('value'), { maxKeys: 4 }),
  object: fc.dictionary(fc.string(), tie('value'), { maxKeys: 4 }).map((o) => markPhpObject(o)),
})).value;

test('serialize → unserialize → serialize is stable', () => {
  fc.assert(fc.property(phpValue, (v) => {
    const text = phpSerialize(v);
    assert.equal(phpSerialize(phpUnserialize(text)), text);
  }), { numRuns: 2000 });
});
