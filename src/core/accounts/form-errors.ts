import { GatehouseError } from '../errors.js';

/**
 * Drupal's form error collector: the first error set on an element wins, order of first setting is kept.
 * An element flagged with an empty message is listed but adds nothing to the summary line.
 */
export class FormErrors {
  private readonly errors = new Map<string, string>();

  set(element: string, message: string): void {
    if (!this.errors.has(element)) this.errors.set(element, message);
  }

  has(element: string): boolean { return this.errors.has(element); }
  get empty(): boolean { return this.errors.size === 0; }

  /** The 406 error: summary of all messages (tags stripped by the protocol), body `{form_errors: …}`. */
  toError(): GatehouseError {
    const formErrors = Object.fromEntries(this.errors);
    const summary = [...this.errors.values()].filter((m) => m !== '').join(' ');
    return new GatehouseError('form_errors', summary, {
      formErrors,
      messages: [...this.errors.values()].filter((m) => m !== '').map((text) => ({ type: 'error' as const, text })),
    });
  }

  throwIfAny(): void {
    if (!this.empty) throw this.toError();
  }
}
