import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FORMATTERS } from '../../../src/protocols/services3/formats/index.js';
import { markPhpObject } from '../../../src/lib/php-values.js';
import { jsonData, step } from './recorded.js';

const php = (data: unknown) => FORMATTERS.php.render(data, { query: {} });

// JSON cannot tell a PHP object from an array: the user object and the connect result are stdClass objects
// on the real site, so the test marks exactly those.
test('user 2 (step 29, the user object marked) renders as the recorded step 32', () => {
  assert.equal(php(markPhpObject(structuredClone(jsonData(29)) as object)), step(32).response.body);
});

test('system/connect (result and user marked) renders as steps 10 and 18 with their own sessid', () => {
  for (const n of [10, 18]) {
    const data = structuredClone(jsonData(2)) as Record<string, object>;
    data.sessid = /s:6:"sessid";s:43:"([^"]*)"/.exec(step(n).response.body)![1] as never;
    markPhpObject(data.user);
    assert.equal(php(markPhpObject(data)), step(n).response.body, `step ${n}`);
  }
});

test('scalars and byte lengths', () => {
  assert.equal(php(true), 'b:1;');
  assert.equal(php(null), 'N;');
  assert.equal(php('é'), 's:2:"é";');
  assert.equal(php(['x']), 'a:1:{i:0;s:1:"x";}');
  assert.equal(php({ '05': 1, 5: 2 }), 'a:2:{i:5;i:2;s:2:"05";i:1;}');
  assert.equal(php(markPhpObject({ 5: 1 })), 'O:8:"stdClass":1:{s:1:"5";i:1;}');
  assert.equal(php(0.1), 'd:0.1;');
  assert.equal(php(1e25), 'd:1.0E+25;');
  assert.equal(php(-Infinity), 'd:-INF;');
});
