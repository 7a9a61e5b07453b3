// boundedMemo (src/lib/bounded-memo.ts) remembers at most `max` keys, forgets the oldest first and never
// remembers a key longer than its bound: the memory it holds is bounded whatever the requests carry.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { boundedMemo } from '../../src/lib/bounded-memo.js';

it('computes each key once while remembered, the oldest forgotten first', () => {
  const calls: string[] = [];
  const upper = boundedMemo((k) => { calls.push(k); return k.toUpperCase(); }, 2);
  assert.equal(upper('a'), 'A');
  assert.equal(upper('a'), 'A');
  assert.equal(upper('b'), 'B');
  assert.equal(upper('c'), 'C'); // 'a' forgotten
  assert.equal(upper('b'), 'B');
  assert.equal(upper('a'), 'A');
  assert.deepEqual(calls, ['a', 'b', 'c', 'a']);
});

it('does not remember keys longer than its bound', () => {
  let calls = 0;
  const length = boundedMemo((k) => { calls++; return String(k.length); }, 10, 4);
  length('12345');
  length('12345');
  length('1234');
  length('1234');
  assert.equal(calls, 3);
});
