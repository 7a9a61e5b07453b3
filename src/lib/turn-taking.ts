/**
 * Takes turns of the event loop: each waiter is let through in a turn of its own (a `setImmediate` scheduled
 * from the previous one runs in the next turn, after that turn's I/O). Expensive synchronous work — parsing a
 * large request body — waits here, so a burst of such requests cannot hold up a health check or a token
 * request behind all of them: at most one runs between two rounds of I/O.
 */
export class TurnTaking {
  private readonly waiting: Array<() => void> = [];
  private scheduled = false;

  /** Resolves in a turn of the event loop that lets no other waiter through. */
  turn(): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.schedule();
    });
  }

  /** How many wait (bounded by the open connections: each request waits at most once). */
  get size(): number { return this.waiting.length; }

  private schedule(): void {
    if (this.scheduled || this.waiting.length === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.waiting.shift()?.();
      this.schedule();
    });
  }
}
