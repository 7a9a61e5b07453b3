import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FORMATTERS } from '../../../src/protocols/services3/formats/index.js';
import { jsonpCallback } from '../../../src/protocols/services3/formats/jsonp.js';
import { jsonData, step } from './recorded.js';

const jsonp = (data: unknown, query: Record<string, unknown>) => FORMATTERS.jsonp.render(data, { query });

test('recorded callbacks: steps 23 (x), 25 (alert(1)// → alert1), 31 and 57', () => {
  const connect = (n: number) => ({ ...(jsonData(2) as object), sessid: /"sessid":"([^"]*)"/.exec(step(n).response.body)?.[1] });
  assert.equal(jsonp(connect(23), { callback: 'x' }), step(23).response.body);
  assert.equal(jsonp(connect(25), { callback: 'alert(1)//' }), step(25).response.body);
  assert.equal(jsonp(jsonData(29), { callback: 'x' }), step(31).response.body);
  assert.equal(jsonp(jsonData(57), { callback: 'cb' }), step(57).response.body);
});

test('no callback is plain JSON (steps 9, 17)', () => {
  for (const n of [9, 17]) assert.equal(jsonp(jsonData(n), {}), step(n).response.body);
});

test('callback sanitising', () => {
  assert.equal(jsonpCallback({ callback: 'a.b-c_d$e<f>' }), 'a.b-c_def');
  assert.equal(jsonpCallback({ callback: 'x'.repeat(80) }), 'x'.repeat(60));
  assert.equal(jsonpCallback({ callback: 'é' }), '');
  assert.equal(jsonpCallback({}), null);
  assert.equal(jsonpCallback({ callback: ['x'] }), null);
  assert.equal(jsonp(true, { callback: '' }), '([true]);');
});
