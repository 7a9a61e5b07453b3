/** PostgreSQL's deadlock_detected: the server aborted one of the transactions; running it again is the remedy. */
const DEADLOCK = '40P01';

/**
 * Runs `fn` again when PostgreSQL chose it as a deadlock's victim (at most `attempts` times), e.g. the first
 * writes of several instances starting at once on a fresh database. Other errors pass through.
 */
export async function retryOnDeadlock<T>(fn: () => Promise<T>, attempts = 5): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (i >= attempts || (err as { code?: string }).code !== DEADLOCK) throw err;
      await new Promise((resolve) => setTimeout(resolve, 10 * i + Math.floor(Math.random() * 20)));
    }
  }
}
