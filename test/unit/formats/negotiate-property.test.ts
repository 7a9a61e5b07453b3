// Property tests of content negotiation (mimeparse rules of services-rest.md §6), GATEHOUSE_FUZZ_RUNS-scaled.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { FORMATTERS, negotiateFormat } from '../../../src/protocols/services3/formats/index.js';
import { FUZZ_RUNS, FUZZ_TIMEOUT_MS } from '../parsers/fuzz.js';

const ALL = ['xml', 'json', 'jsonp', 'php', 'bencode'];
const MIMES = ALL.flatMap((f) => FORMATTERS[f].mimeTypes);
const enabledSets = fc.subarray(ALL, { minLength: 1 });
const range = fc.oneof(
  fc.constantFrom(...MIMES, '*/*', 'application/*', 'text/*', 'image/png', 'text/csv', '*'),
  fc.string({ maxLength: 20 }),
);
const item = fc.tuple(range, fc.option(fc.oneof(fc.double({ min: 0, max: 1.5, noNaN: true }).map(String), fc.string({ maxLength: 5 })), { nil: undefined }))
  .map(([r, q]) => (q === undefined ? r : `${r};q=${q}`));
const accept = fc.array(item, { maxLength: 5 }).map((items) => items.join(', '));

test('property: any Accept gives an enabled format with one of its mime types, a 406 or the malformed 500; never a throw', { timeout: FUZZ_TIMEOUT_MS }, () => {
  fc.assert(fc.property(accept, enabledSets, (a, enabled) => {
    const got = negotiateFormat({ suffix: null, accept: a, enabled, defaultFormat: 'json' });
    assert.equal(got.vary, true);
    if (got.ok) {
      assert.ok(enabled.includes(got.format));
      assert.ok(FORMATTERS[got.format].mimeTypes.includes(got.mime));
    }
  }), { numRuns: FUZZ_RUNS });
});

test('property: a suffix wins over any Accept: first mime type, no Vary; an unknown suffix is a 406', { timeout: FUZZ_TIMEOUT_MS }, () => {
  fc.assert(fc.property(accept, enabledSets, fc.oneof(fc.constantFrom(...ALL), fc.string({ minLength: 1, maxLength: 8 })), (a, enabled, suffix) => {
    const got = negotiateFormat({ suffix, accept: a, enabled, defaultFormat: 'json' });
    if (suffix === '0') return; // PHP empty('0'): no suffix at all
    if (enabled.includes(suffix) && Object.hasOwn(FORMATTERS, suffix)) assert.deepEqual(got, { ok: true, format: suffix, mime: FORMATTERS[suffix].mimeTypes[0], vary: false });
    else assert.deepEqual(got, { ok: false, vary: false });
  }), { numRuns: FUZZ_RUNS });
});

test('property: fitness outranks q, ties go to the greatest mime string, q=0 counts as 1', { timeout: FUZZ_TIMEOUT_MS }, () => {
  fc.assert(fc.property(fc.double({ min: 0, max: 1, noNaN: true }), enabledSets, (q, enabled) => {
    const candidates = enabled.flatMap((f) => FORMATTERS[f].mimeTypes);
    const star = negotiateFormat({ suffix: null, accept: `*/*;q=${q}`, enabled, defaultFormat: 'json' });
    assert.ok(star.ok);
    assert.equal(star.mime, [...candidates].sort().at(-1));
    if (enabled.includes('json')) {
      const exact = negotiateFormat({ suffix: null, accept: `application/json;q=${q}, */*`, enabled, defaultFormat: 'json' });
      assert.ok(exact.ok);
      assert.equal(exact.format, 'json');
    }
  }), { numRuns: FUZZ_RUNS });
});

test('property: no or empty Accept gives the default format with Vary', { timeout: FUZZ_TIMEOUT_MS }, () => {
  fc.assert(fc.property(fc.constantFrom(undefined, ''), enabledSets, fc.constantFrom(...ALL), (a, enabled, def) => {
    const got = negotiateFormat({ suffix: null, accept: a, enabled, defaultFormat: def });
    if (enabled.includes(def)) assert.deepEqual(got, { ok: true, format: def, mime: FORMATTERS[def].mimeTypes[0], vary: true });
    else assert.deepEqual(got, { ok: false, vary: true });
  }), { numRuns: FUZZ_RUNS });
});
