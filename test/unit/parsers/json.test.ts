import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { GatehouseError } from '../../../src/core/errors.js';
import { parseJson } from '../../../src/protocols/services3/parsers/json.js';
import { step } from '../formats/recorded.js';
import { FUZZ_RUNS, FUZZ_TIMEOUT_MS, valueOrGatehouseError } from './fuzz.js';

const parse = (text: string | Buffer) => parseJson(Buffer.isBuffer(text) ? text : Buffer.from(text));
const invalid = (text: string | Buffer) => assert.throws(() => parse(text), (e: unknown) => e instanceof GatehouseError
  && e.code === 'invalid_json' && e.message === 'Invalid JSON.', String(text));

test('recorded JSON request bodies (steps 28, 39, 53, 55)', () => {
  assert.deepEqual(parse(step(28).request.body!), { username: 'admin', password: 'admin' });
  assert.deepEqual(parse(step(39).request.body!), { username: 'alice', password: 'alicepass' });
  assert.deepEqual(parse(step(53).request.body!), { account: { name: 'form6', mail: 'form6@example.com', pass: 'p' } });
  assert.deepEqual(parse(step(55).request.body!), { name: 'form8', mail: 'form8@example.com', pass: 'p' });
  assert.deepEqual(parse(step(2).request.body!), {});
});

test('falsy bodies pass through as strings; arrays and scalars decode', () => {
  assert.equal(parse(''), '');
  assert.equal(parse('0'), '0');
  assert.deepEqual(parse('[1,"a",{"b":[]}]'), [1, 'a', { b: [] }]);
  assert.equal(parse(' true '), true);
  assert.equal(parse('"\\ud83d\\ude00"'), '😀');
  assert.equal(parse('false'), false);
  const proto = parse('{"__proto__":{"x":1}}') as Record<string, unknown>;
  assert.deepEqual(Object.keys(proto), ['__proto__']);
  assert.equal(({} as Record<string, unknown>).x, undefined);
});

test('what json_decode turns into null is Invalid JSON', () => {
  for (const bad of ['null', ' null ', '{', '{"a":1,}', "{'a':1}", '\ufeff{}', 'NaN', '"\\ud800"', '{"\\udc00":1}', '[1]x']) invalid(bad);
  invalid(Buffer.from([0x22, 0xff, 0x22]));
  assert.doesNotThrow(() => parse('['.repeat(512) + ']'.repeat(512)));
  invalid('['.repeat(513) + ']'.repeat(513));
});

test('property: random bodies give a value or invalid_json', { timeout: FUZZ_TIMEOUT_MS }, async () => {
  const body = fc.oneof(
    fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)),
    fc.json().map((t) => Buffer.from(t)),
    fc.jsonValue().map((v) => Buffer.from(JSON.stringify(v) ?? 'null')),
    fc.string({ unit: 'binary', maxLength: 100 }).map((s) => Buffer.from(s)),
  );
  await fc.assert(fc.asyncProperty(body, (b) => valueOrGatehouseError(() => parse(b))), { numRuns: FUZZ_RUNS });
});
