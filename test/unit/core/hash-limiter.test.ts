import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GatehouseError } from '../../../src/core/errors.js';
import { HashLimiter } from '../../../src/core/passwords/hash-limiter.js';

/** Work that finishes (or fails) when the test says so. */
function held<T>(): { promise: Promise<T>; resolve(v: T): void; reject(e: Error): void } {
  let resolve!: (v: T) => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<T>((res, rej) => { resolve = res; reject = rej; });
  return { promise, resolve, reject };
}

test('at most `threads` run, then `queue` wait in order; one more is refused with overloaded and a Retry-After', async () => {
  const limiter = new HashLimiter({ threads: 2, queue: 1 });
  const works = [held<number>(), held<number>(), held<number>()];
  const started: number[] = [];
  const runs = works.map((w, i) => limiter.run(() => { started.push(i); return w.promise; }));
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(started, [0, 1]);
  assert.deepEqual(limiter.load, { running: 2, waiting: 1 });
  await assert.rejects(limiter.run(async () => 9), (err: unknown) => {
    assert.ok(err instanceof GatehouseError && err.code === 'overloaded');
    assert.ok(Number.isInteger(err.details.retryAfter) && (err.details.retryAfter ?? 0) >= 1);
    return true;
  });
  // A failing hash frees its thread like a finished one: the waiting one starts.
  works[0].reject(new Error('boom'));
  await assert.rejects(runs[0], /boom/);
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(started, [0, 1, 2]);
  works[1].resolve(1);
  works[2].resolve(2);
  assert.deepEqual(await Promise.all(runs.slice(1)), [1, 2]);
  assert.deepEqual(limiter.load, { running: 0, waiting: 0 });
});

test('queue 0: nothing waits, a hash beyond the threads is refused at once', async () => {
  const limiter = new HashLimiter({ threads: 1, queue: 0 });
  const w = held<string>();
  const first = limiter.run(() => w.promise);
  await assert.rejects(limiter.run(async () => 'x'), (err: unknown) => err instanceof GatehouseError && err.code === 'overloaded');
  w.resolve('ok');
  assert.equal(await first, 'ok');
  assert.equal(await limiter.run(async () => 'again'), 'again');
});
