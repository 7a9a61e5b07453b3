// Shared settings for the parsers' property tests: GATEHOUSE_FUZZ_RUNS scales the run count up for long runs.
import assert from 'node:assert/strict';
import { GatehouseError } from '../../../src/core/errors.js';

export const FUZZ_RUNS = Math.max(10_000, Number(process.env.GATEHOUSE_FUZZ_RUNS) || 0);
/** node:test timeout for one property test, scaled with the run count. */
export const FUZZ_TIMEOUT_MS = 60_000 * Math.ceil(FUZZ_RUNS / 10_000);

/** A parse either returns a value or throws a GatehouseError; anything else fails, and so does a hang. */
export async function valueOrGatehouseError(parse: () => unknown, hangMs = 2_000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error('parser hung')), hangMs); });
  try {
    await Promise.race([Promise.resolve().then(parse), hang]);
  } catch (e) {
    assert.ok(e instanceof GatehouseError, `unexpected ${e instanceof Error ? e.stack : String(e)}`);
  } finally {
    clearTimeout(timer);
  }
}
