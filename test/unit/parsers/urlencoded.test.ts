import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parsePhpQueryString, parseUrlencoded } from '../../../src/protocols/services3/parsers/urlencoded.js';
import { step } from '../formats/recorded.js';
import { FUZZ_RUNS, FUZZ_TIMEOUT_MS, valueOrGatehouseError } from './fuzz.js';

const parse = (s: string) => parsePhpQueryString(s);

test('recorded urlencoded bodies (steps 40, 44, 45, 47–50, 59)', () => {
  const body = (n: number) => parseUrlencoded(Buffer.from(step(n).request.body!));
  assert.deepEqual(body(40), { username: 'alice', password: 'alicepass' });
  assert.deepEqual(body(45), { username: 'alice', password: 'alicepass' });
  assert.deepEqual(body(59), { username: 'alice', password: 'alicepass' });
  assert.deepEqual(body(44), { '{"username":"alice","password":"alicepass"}': '' });
  assert.deepEqual(body(47), { name: 'form1', mail: 'form1@example.com', pass: 'p' });
  assert.deepEqual(body(48), { account: { name: 'form2', mail: 'form2@example.com', pass: 'p' } });
  assert.deepEqual(body(49), { name: 'form3', mail: 'form3@example.com', pass: { pass1: 'p', pass2: 'p' } });
  assert.deepEqual(body(50), { name: 'form3b', mail: 'form3b@example.com', pass: { pass1: 'p', pass2: 'q' } });
  assert.deepEqual(parseUrlencoded(Buffer.alloc(0)), {});
});

test('PHP parse_str bracket rules', () => {
  assert.deepEqual(parse('a[]=1&a[]=2'), { a: ['1', '2'] });
  assert.deepEqual(parse('a[b][]=1'), { a: { b: ['1'] } });
  assert.deepEqual(parse('a[5]=x&a[]=y'), { a: { 5: 'x', 6: 'y' } });
  assert.deepEqual(parse('a[x]=1&a[]=2'), { a: { x: '1', 0: '2' } });
  assert.deepEqual(parse('a[-5]=x&a[]=y'), { a: { '-5': 'x', 0: 'y' } });
  assert.deepEqual(parse('a[0]=x&a[1]=y'), { a: ['x', 'y'] });
  assert.deepEqual(parse('a[b.c d]=1'), { a: { 'b.c d': '1' } });
  assert.deepEqual(parse('a[b=1'), { a_b: '1' });
  assert.deepEqual(parse('a[b.c[d=1'), { a_b_c_d: '1' });
  assert.deepEqual(parse('a[b][c=1'), { a: { b: '1' } });
  assert.deepEqual(parse('a[b]c=1'), { a: { b: '1' } });
  assert.deepEqual(parse('a[b[c]=1'), { a: { 'b[c': '1' } });
  assert.deepEqual(parse('a]=1'), { 'a]': '1' });
  assert.deepEqual(parse('[a]=1'), {});
});

test('PHP parse_str names, values and overrides', () => {
  assert.deepEqual(parse('a=1&a=2'), { a: '2' });
  assert.deepEqual(parse('a=1&a[]=2'), { a: ['2'] });
  assert.deepEqual(parse('a[]=1&a=2'), { a: '2' });
  assert.deepEqual(parse('a.b=1&c d=2& e=3'), { a_b: '1', c_d: '2', e: '3' });
  assert.deepEqual(parse('%61=%7e+%2B&%zz=%4'), { a: '~ +', '%zz': '%4' });
  assert.deepEqual(parse('=x&&b&c='), { b: '', c: '' });
  assert.deepEqual(parse('a%00b=1&c=%00'), { a: '1', c: '\0' });
  assert.deepEqual(parse('a=1\0&b=2'), { a: '1' });
  assert.deepEqual(parse('a=%C3%A9&b=%ff'), { a: 'é', b: '\ufffd' });
  assert.deepEqual(parse('0=a&1=b'), { 0: 'a', 1: 'b' });
  const proto = parse('__proto__[x]=1&toString=y');
  assert.deepEqual(Object.keys(proto), ['__proto__', 'toString']);
  assert.equal(({} as Record<string, unknown>).x, undefined);
});

test('limits: 64 nesting levels, 1000 variables', () => {
  assert.deepEqual(parse(`a${'[x]'.repeat(63)}=1`) !== null, true);
  let v: unknown = parse(`a${'[x]'.repeat(64)}=1`);
  for (let i = 0; i < 64; i++) v = (v as Record<string, unknown>)[i === 0 ? 'a' : 'x'];
  assert.equal((v as Record<string, unknown>).x, '1');
  assert.deepEqual(parse(`a=1&a${'[x]'.repeat(65)}=1&b=2`), { b: '2' });
  const many = Array.from({ length: 1005 }, (_, i) => `v${i}=${i}`).join('&');
  const out = parse(many);
  assert.equal(Object.keys(out).length, 1000);
  assert.equal(out.v999, '999');
});

const KEY_PARTS = ['a', 'b', '0', '1', '-1', '[', ']', '[]', '.', ' ', '%5B', '%5D', '%00', '%', '+', '__proto__', 'é'];
const bracketForm = fc.array(
  fc.tuple(fc.array(fc.constantFrom(...KEY_PARTS), { maxLength: 8 }).map((p) => p.join('')), fc.option(fc.string({ maxLength: 6 }))),
  { maxLength: 12 },
).map((pairs) => pairs.map(([k, v]) => (v === null ? k : `${k}=${encodeURIComponent(v)}`)).join('&'));

test('property: random bodies and bracket-key forms parse to a value', { timeout: FUZZ_TIMEOUT_MS }, async () => {
  const body = fc.oneof(
    fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)),
    bracketForm.map((s) => Buffer.from(s)),
    fc.string({ unit: 'binary', maxLength: 100 }).map((s) => Buffer.from(s)),
  );
  await fc.assert(fc.asyncProperty(body, (b) => valueOrGatehouseError(() => {
    const out = parseUrlencoded(b);
    assert.equal(typeof out, 'object');
    return out;
  })), { numRuns: FUZZ_RUNS });
});
