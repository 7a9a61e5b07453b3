/**
 * An error this dialect raises itself (request shape, route access, REST rules): Drupal's HTTP exception,
 * answered as `{"message": …}` with its status. Domain errors from the core are mapped in error-status.ts.
 */
export class Drupal8HttpError extends Error {
  constructor(readonly status: number, message: string, readonly headers: Record<string, string> = {}) {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try { super(message); } finally { Error.stackTraceLimit = limit; }
    this.name = 'Drupal8HttpError';
  }
}

export const forbidden = (message: string): Drupal8HttpError => new Drupal8HttpError(403, message);
export const badRequest = (message: string): Drupal8HttpError => new Drupal8HttpError(400, message);
export const unprocessable = (message: string): Drupal8HttpError => new Drupal8HttpError(422, message);
