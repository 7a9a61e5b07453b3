import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { GatehouseError } from '../../../src/core/errors.js';
import { parseRequestBody, PARSER_TYPES, requestMimeType } from '../../../src/protocols/services3/parsers/index.js';
import { FORMAT_STEPS, header, step } from '../formats/recorded.js';
import { FUZZ_RUNS, FUZZ_TIMEOUT_MS, valueOrGatehouseError } from './fuzz.js';

const ALL = PARSER_TYPES;
const STOCK = PARSER_TYPES.filter((t) => t !== 'application/x-www-form-urlencoded');
const parse = (contentType: string | undefined, body: string, enabled: readonly string[] = ALL) =>
  parseRequestBody({ contentType, body: Buffer.from(body), enabled });
const rejects = (p: Promise<unknown>, code: string, message?: string) => assert.rejects(p, (e: unknown) =>
  e instanceof GatehouseError && e.code === code && (message === undefined || e.message === message));

test('every recorded POST body of formats.json parses; the refused one is refused', async () => {
  const logins = new Set([28, 39, 40, 41, 42, 43, 45, 60]);
  for (const s of FORMAT_STEPS) {
    if (s.request?.method !== 'POST') continue;
    const enabled = s.request.path.startsWith('/restdefault/') ? STOCK : ALL;
    const p = parse(header(s.request.headers, 'content-type'), s.request.body ?? '', enabled);
    if (s.step === 59) {
      await rejects(p, 'unsupported_content_type', 'Unsupported request content type application/x-www-form-urlencoded');
      continue;
    }
    const data = await p as Record<string, unknown>;
    if (logins.has(s.step)) assert.ok(data.username === 'alice' || data.username === 'admin', `step ${s.step}`);
  }
  assert.deepEqual(await parse(header(step(44).request.headers, 'content-type'), step(44).request.body!), { '{"username":"alice","password":"alicepass"}': '' });
  assert.deepEqual(await parse(header(step(46).request.headers, 'content-type'), ''), {});
});

test('Content-Type: value before the first ";", default urlencoded', async () => {
  assert.equal(requestMimeType(undefined), 'application/x-www-form-urlencoded');
  assert.equal(requestMimeType(''), 'application/x-www-form-urlencoded');
  assert.equal(requestMimeType('application/json; charset=UTF-8'), 'application/json');
  assert.equal(requestMimeType('application/json;charset=UTF-8'), 'application/json');
  assert.equal(requestMimeType('application/json;'), 'application/x-www-form-urlencoded');
  assert.equal(requestMimeType('application/json '), 'application/json ');
  assert.deepEqual(await parse(undefined, 'username=a&password=b'), { username: 'a', password: 'b' });
  assert.deepEqual(await parse('application/json ; charset=x', '{"a":1}'), { a: 1 });
  assert.deepEqual(await parse('text/xml', '<d><a>1</a></d>'), { a: '1' });
});

test('matching is mimeparse over the enabled types: case-sensitive, wildcards allowed', async () => {
  await rejects(parse('Application/JSON', '{}'), 'unsupported_content_type', 'Unsupported request content type Application/JSON');
  await rejects(parse('text/plain', 'x'), 'unsupported_content_type');
  await rejects(parse('text/<b>', 'x'), 'unsupported_content_type', 'Unsupported request content type text/&lt;b&gt;');
  await rejects(parse(undefined, 'a=1', STOCK), 'unsupported_content_type');
  assert.deepEqual(await parse('*/*', '<d><a>1</a></d>'), { a: '1' });
  assert.deepEqual(await parse('application/*', '<d><a>1</a></d>'), { a: '1' });
  await rejects(parse('json', '{}'), 'internal');
  await rejects(parse('application/json', 'null'), 'invalid_json', 'Invalid JSON.');
  await rejects(parse('application/xml', '<a>'), 'invalid_xml');
});

test('property: random content types and bodies give a value or a GatehouseError', { timeout: FUZZ_TIMEOUT_MS }, async () => {
  const input = fc.tuple(
    fc.oneof(fc.constantFrom(undefined, ...ALL, 'multipart/form-data; boundary=b', 'a/b', '*'), fc.string({ maxLength: 30 })),
    fc.uint8Array({ maxLength: 120 }).map((b) => Buffer.from(b)),
    fc.subarray([...ALL]),
  );
  await fc.assert(fc.asyncProperty(input, ([contentType, body, enabled]) =>
    valueOrGatehouseError(() => parseRequestBody({ contentType, body, enabled }))), { numRuns: FUZZ_RUNS });
});
