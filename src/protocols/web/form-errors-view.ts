import { GatehouseError } from '../../core/errors.js';
import type { Message } from './html.js';

/** A failed submission as a page shows it: the summary messages and each element's own error. */
export interface FormProblem { messages: Message[]; byField: Record<string, string> }

/**
 * The core's refusal of a form (validation errors, a flood block, a wrong password) as messages; anything
 * else is not the visitor's doing and goes on to the app's error handler.
 */
export function formProblem(err: unknown): FormProblem {
  if (!(err instanceof GatehouseError)) throw err;
  const byField = err.details.formErrors ?? {};
  const listed = Object.values(byField).filter((m) => m !== '');
  const texts = listed.length > 0 ? listed : [err.message];
  return { messages: texts.map((html) => ({ type: 'error' as const, html })), byField };
}

/** The error to show on one element (HTML-safe), if any. */
export function fieldError(p: FormProblem | undefined, name: string): string | undefined {
  const e = p?.byField[name];
  return e === undefined ? undefined : e || 'Please check this field.';
}
