/** A legacy read that did not answer within its time (the database hangs): the caller goes on without it. */
export class LegacyTimeoutError extends Error {}

/** `promise`, or a LegacyTimeoutError after `ms` (the promise itself is left to settle on its own). */
export function within<T>(ms: number, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new LegacyTimeoutError(`the legacy database did not answer within ${ms} ms`)), ms);
    timer.unref();
  });
  promise.catch(() => undefined);
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
