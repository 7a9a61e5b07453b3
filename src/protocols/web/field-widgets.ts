/**
 * The site's user fields on the registration form (those with `onRegister`) and the edit form (all), as Drupal's Field API widgets
 * name their inputs (`field_x[und][0][value]`, `field_x[und]`): the core's submitFields reads them from the
 * posted form parsed the way PHP parses it. Text and number fields (one value), on/off checkboxes, selects.
 */
import type { FieldDefinition, FieldValues } from '../../core/fields/field-definition.js';
import { checkbox, input, select } from './html.js';
import { fieldError, type FormProblem } from './form-errors-view.js';

const nested = (v: unknown, ...path: Array<string | number>): unknown =>
  path.reduce<unknown>((at, k) => (at !== null && typeof at === 'object' ? (at as Record<string, unknown>)[String(k)] : undefined), v);

/** The widgets of `definitions`, filled from the submitted (PHP-parsed) form when it is being shown again. */
export function fieldWidgets(definitions: FieldDefinition[], submitted: Record<string, unknown>, problem?: FormProblem): string {
  return definitions.map((f) => {
    if (f.widget === 'options_onoff' || (f.type === 'list_boolean' && f.widget === '')) {
      const allowed = f.settings.allowed_values;
      const on = allowed && typeof allowed === 'object' ? Object.keys(allowed)[1] ?? '1' : '1';
      const box = checkbox(`${f.name}[und]`, f.label, on, nested(submitted, f.name, 'und') !== undefined, `edit-${f.name}`);
      const error = fieldError(problem, `${f.name}][und`);
      return error ? `${box}<div class="error">${error}</div>` : box;
    }
    if (f.type.startsWith('list_')) {
      const allowed = (f.settings.allowed_values ?? {}) as Record<string, unknown>;
      const options: Array<[string, string]> = [['_none', '- None -'], ...Object.entries(allowed).map(([k, v]): [string, string] => [k, String(v)])];
      return select(`${f.name}[und]`, f.label, options, String(nested(submitted, f.name, 'und') ?? '_none'), fieldError(problem, `${f.name}][und`));
    }
    return input({ name: `${f.name}[und][0][value]`, label: f.label, required: f.required, value: String(nested(submitted, f.name, 'und', 0, 'value') ?? ''),
      type: f.type.startsWith('number') ? 'number' : 'text', error: fieldError(problem, `${f.name}][und][0][value`) });
  }).join('\n');
}

const isOnOff = (f: FieldDefinition) => f.widget === 'options_onoff' || (f.type === 'list_boolean' && f.widget === '');

/**
 * The submitted values of the fields, for the core (only `definitions`' own keys). `shown`: the form showed
 * every one of them (the edit form), so an on/off box the browser did not send was unchecked — NULL, as
 * Drupal's form API makes of it — rather than left out (which keeps the stored value).
 */
export function fieldInput(definitions: FieldDefinition[], submitted: Record<string, unknown>, o: { shown?: boolean } = {}): Record<string, unknown> {
  const out: Record<string, unknown> = Object.fromEntries(definitions.filter((f) => f.name in submitted).map((f) => [f.name, submitted[f.name]]));
  if (o.shown) for (const f of definitions) if (isOnOff(f) && !(f.name in submitted)) out[f.name] = { und: null };
  return out;
}

/** An account's stored items in the shape the widgets read a submitted form in (to show the edit form filled). */
export function storedAsForm(definitions: FieldDefinition[], stored: FieldValues): Record<string, unknown> {
  const form: Record<string, unknown> = {};
  for (const f of definitions) {
    const items = stored[f.name] ?? [];
    if (items.length === 0) continue;
    if (isOnOff(f)) {
      const allowed = f.settings.allowed_values;
      const on = allowed && typeof allowed === 'object' ? Object.keys(allowed)[1] ?? '1' : '1';
      if (String(items[0].value) === on) form[f.name] = { und: on };
    } else if (f.type.startsWith('list_')) form[f.name] = { und: String(items[0].value) };
    else form[f.name] = { und: { 0: { value: String(items[0].value ?? '') } } };
  }
  return form;
}
