// A bounded run of bench/fuzz-parsers.ts (the 1M-case mode is not for CI): no crash, no hang, no 5xx.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fuzzParser, PARSERS } from '../../bench/fuzz-parsers.js';

const CASES = Number(process.env.GATEHOUSE_PARSER_FUZZ_CASES) || 3_000;

describe('parser fuzzing (bounded)', () => {
  for (const parser of PARSERS) {
    it(`${parser}: ${CASES} cases, no crash, no hang, no 5xx`, async () => {
      const r = await fuzzParser(parser, CASES, 7);
      assert.deepEqual(r.crashes, []);
      assert.equal(r.hangs, 0);
      assert.equal(r.fiveHundreds, 0);
    });
  }
});
