import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseMultipart } from '../../../src/protocols/services3/parsers/multipart.js';
import { header, step } from '../formats/recorded.js';
import { FUZZ_RUNS, FUZZ_TIMEOUT_MS, valueOrGatehouseError } from './fuzz.js';

const BOUNDARY = 'XyZ';
const CT = `multipart/form-data; boundary=${BOUNDARY}`;
const part = (name: string, value: string, extra = '') =>
  `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"${extra}\r\n\r\n${value}\r\n`;
const form = (...parts: string[]) => Buffer.from(`${parts.join('')}--${BOUNDARY}--\r\n`);

test('recorded multipart bodies (steps 41, 51, 52, 60)', async () => {
  const body = (n: number) => parseMultipart(header(step(n).request.headers, 'content-type')!, Buffer.from(step(n).request.body!));
  assert.deepEqual(await body(41), { username: 'alice', password: 'alicepass' });
  assert.deepEqual(await body(60), { username: 'alice', password: 'alicepass' });
  assert.deepEqual(await body(51), { name: 'form4', mail: 'form4@example.com', pass: 'p' });
  assert.deepEqual(await body(52), { account: { name: 'form5', mail: 'form5@example.com', pass: 'p' } });
});

test('bracket names, later duplicates win, files are left out', async () => {
  const out = await parseMultipart(CT, form(
    part('a[]', '1'), part('a[]', '2'), part('x.y', 'é'), part('n', 'old'), part('n', 'new'),
    part('upload', 'FILEDATA', '; filename="f.txt"'), part('empty', '', '; filename=""\r\nContent-Type: application/octet-stream'),
  ));
  assert.deepEqual(out, { a: ['1', '2'], x_y: 'é', n: 'new' });
});

test('parts are classified as PHP does: a filename parameter makes an upload, a Content-Type alone does not', async () => {
  const out = await parseMultipart(CT, form(
    part('empty', '', '; filename=""'), part('blob', 'kept', '\r\nContent-Type: application/octet-stream'), part('name', 'ann'),
  ));
  assert.deepEqual(out, { blob: 'kept', name: 'ann' });
});

test('malformed multipart never throws: {} or the parts completed before the damage', async () => {
  assert.deepEqual(await parseMultipart('multipart/form-data', form(part('a', '1'))), {});
  assert.deepEqual(await parseMultipart('multipart/form-data; boundary=', Buffer.from('x')), {});
  assert.deepEqual(await parseMultipart(CT, Buffer.alloc(0)), {});
  assert.deepEqual(await parseMultipart(CT, Buffer.from('garbage')), {});
  assert.deepEqual(await parseMultipart(CT, Buffer.from(`${part('a', '1')}${part('b', '2').slice(0, 30)}`)), { a: '1' });
  const cutFile = `${part('a', '1')}${part('f', 'x'.repeat(100), '; filename="f.txt"').slice(0, 90)}`;
  assert.deepEqual(await parseMultipart(CT, Buffer.from(cutFile)), { a: '1' });
  assert.deepEqual(await parseMultipart(CT, Buffer.from(`--${BOUNDARY}\r\nbroken header\r\n\r\nv\r\n--${BOUNDARY}--`)), {});
});

test('a part without Content-Disposition larger than a stream buffer is skipped, not a parse that never ends', async () => {
  // Found by bench/fuzz-parsers.ts at 1M cases: with the library's 16 KB part buffer this never settled.
  const settles = (body: Buffer) => Promise.race([parseMultipart(CT, body), new Promise((resolve) => setTimeout(() => resolve('never'), 3000))]);
  const big = 'x'.repeat(40_000);
  assert.deepEqual(await settles(Buffer.from(`--${BOUNDARY}\r\n\r\n${big}\r\n--${BOUNDARY}--\r\n`)), {});
  assert.deepEqual(await settles(Buffer.from(`--${BOUNDARY}\r\nContent-Type: text/plain\r\n\r\n${big}\r\n${part('a', '1')}--${BOUNDARY}--\r\n`)), { a: '1' });
  assert.deepEqual(await settles(form(part('f', big, '; filename="f.txt"'), part('b', '2'))), { b: '2' });
});

const multipartBody = fc.array(
  fc.tuple(fc.string({ maxLength: 10 }), fc.string({ maxLength: 20 }), fc.boolean(), fc.constantFrom('\r\n', '\n', '')),
  { maxLength: 6 },
).chain((parts) => fc.tuple(fc.constant(parts), fc.nat({ max: 400 }), fc.boolean()))
  .map(([parts, cut, truncate]) => {
  const text = parts.map(([name, value, isFile, eol]) =>
    `--${BOUNDARY}${eol}Content-Disposition: form-data; name="${name}"${isFile ? '; filename="f"' : ''}${eol}${eol}${value}\r\n`).join('')
    + `--${BOUNDARY}--\r\n`;
  return Buffer.from(truncate ? text.slice(0, cut) : text);
});

test('property: random multipart bodies give a value and never hang', { timeout: FUZZ_TIMEOUT_MS }, async () => {
  const input = fc.oneof(
    fc.tuple(fc.constant(CT), multipartBody),
    fc.tuple(fc.constant(CT), fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b))),
    fc.tuple(fc.string({ maxLength: 40 }).map((s) => `multipart/form-data; ${s}`), fc.uint8Array({ maxLength: 100 }).map((b) => Buffer.from(b))),
  );
  await fc.assert(fc.asyncProperty(input, ([ct, body]) => valueOrGatehouseError(async () => {
    const out = await parseMultipart(ct, body);
    assert.equal(typeof out, 'object');
  })), { numRuns: FUZZ_RUNS });
});
