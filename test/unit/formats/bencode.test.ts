import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FORMATTERS } from '../../../src/protocols/services3/formats/index.js';
import { bencode } from '../../../src/protocols/services3/formats/bencode.js';
import { markPhpObject } from '../../../src/lib/php-values.js';
import { jsonData, step } from './recorded.js';

const render = (data: unknown) => FORMATTERS.bencode.render(data, { query: {} });

test('user 2 (step 29) renders as the recorded step 33', () => {
  assert.equal(render(jsonData(29)), step(33).response.body);
});

test('system/connect renders as steps 11 and 19 with their own sessid', () => {
  for (const n of [11, 19]) {
    const data = { ...(jsonData(2) as object), sessid: /^d6:sessid43:(.{43})/.exec(step(n).response.body)![1] };
    assert.equal(render(data), step(n).response.body, `step ${n}`);
  }
});

test('lib/bencode.php quirks', () => {
  assert.equal(bencode({ b: 1, a: 'x' }), 'd1:a1:x1:bi1ee');
  assert.equal(bencode({ 10: 'a', 9: 'b' }), 'l1:b1:ae');
  assert.equal(bencode({ x: null, y: false, z: true }), 'd1:x1:y1:ze');
  assert.equal(bencode(['1.0', '1.5', ' 7', '-0', '']), 'li1.0e3:1.5i 7ei-0e0:e');
  assert.equal(bencode(2.5), '');
  assert.equal(bencode([]), 'le');
  assert.equal(bencode({}), 'le');
  assert.equal(bencode(markPhpObject({})), '');
  assert.equal(bencode({ 1: 'a', k: 'b' }), 'l1:a1:be');
  assert.equal(bencode({ k: 'b', '1.5': 'a' }), 'd3:1.51:a1:k1:be');
  assert.equal(bencode('é'), '2:é');
});
