import { placeholder } from '../errors.js';
import type { FormErrors } from '../accounts/form-errors.js';
import { type FieldDefinition, type FieldItem, type FieldValues, LANGUAGE_NONE } from './field-definition.js';

/**
 * The field widgets of user_register_form / user_profile_form submitted programmatically (drupal_form_submit),
 * as Services submits them. Each element takes its value from the input at its own path
 * (`field_x[und][0][value]` for a textfield, `field_x[und]` for an on/off checkbox); where the input has no
 * such path (field absent, a flat string, a wrong shape) the element keeps its default: the stored items.
 * Element-level checks (maxlength, then required) apply to that value, stored or submitted, so an account
 * saved without a required field it never had is refused.
 */
export function submitFields(
  definitions: FieldDefinition[], values: Record<string, unknown>, stored: FieldValues, errors: FormErrors,
): FieldValues {
  const out: FieldValues = {};
  for (const field of definitions) {
    const input = lookup(values, [field.name, LANGUAGE_NONE]);
    const items = stored[field.name] ?? [];
    out[field.name] = field.widget === 'options_onoff' || (field.type === 'list_boolean' && field.widget === '')
      ? onOff(field, input, items, errors)
      : field.type.startsWith('list_') ? options(field, input, items, errors) : textual(field, input, items, errors);
  }
  return out;
}

type Found = { found: true; value: unknown } | { found: false };

/** drupal_array_get_nested_value with key_exists: a path through arrays only. */
function lookup(root: unknown, path: Array<string | number>): Found {
  let ref: unknown = root;
  for (const key of path) {
    if (ref === null || typeof ref !== 'object') return { found: false };
    const map = ref as Record<string, unknown>;
    if (!Object.prototype.hasOwnProperty.call(map, String(key))) return { found: false };
    ref = map[String(key)];
  }
  return { found: true, value: ref };
}

/** Text-like widgets (text_textfield, number): one element per delta at `[und][delta][value]`. */
function textual(field: FieldDefinition, und: Found, stored: FieldItem[], errors: FormErrors): FieldItem[] {
  const deltas = field.cardinality === 1 ? 1 : Math.max(stored.length, und.found && und.value && typeof und.value === 'object' ? Object.keys(und.value).length : 0, 1);
  const limit = field.cardinality > 0 ? Math.min(deltas, field.cardinality) : deltas;
  const max = Number(field.settings.max_length ?? 0);
  const items: FieldItem[] = [];
  for (let delta = 0; delta < limit; delta++) {
    const key = `${field.name}][${LANGUAGE_NONE}][${delta}][value`;
    const submitted = und.found ? lookup(und.value, [delta, 'value']) : { found: false as const };
    const value = submitted.found ? textValue(submitted.value) : String(stored[delta]?.value ?? '');
    if (max > 0 && [...value].length > max) {
      errors.set(key, `${field.label} cannot be longer than ${placeholder(String(max))} characters but is currently ${placeholder(String([...value].length))} characters long.`);
    }
    if (delta === 0 && field.required && value.trim() === '') errors.set(key, `${field.label} field is required.`);
    if (value !== '') items.push(field.type.startsWith('text') ? { value, format: (stored[delta]?.format as string | null | undefined) ?? null } : { value });
  }
  return items;
}

/** form_type_textfield_value: line breaks removed; a non-scalar is no text. */
function textValue(v: unknown): string {
  if (typeof v === 'string') return v.replace(/[\r\n]/g, '');
  if (typeof v === 'number' || typeof v === 'boolean') return String(v === true ? 1 : v === false ? '' : v);
  return '';
}

/** options_onoff: one checkbox at `[und]`; any non-null input checks it, null unchecks it. The off value is stored too. */
function onOff(field: FieldDefinition, und: Found, stored: FieldItem[], errors: FormErrors): FieldItem[] {
  const [off, on] = allowedKeys(field, ['0', '1']);
  const checked = und.found ? und.value !== null && und.value !== undefined : stored[0] !== undefined && String(stored[0].value) === on;
  if (field.required && !checked) errors.set(`${field.name}][${LANGUAGE_NONE}`, `${field.label} field is required.`);
  return [{ value: checked ? on : off }];
}

/** options_select / options_buttons: `[und]` holds a key or a list of keys (or Field API items). */
function options(field: FieldDefinition, und: Found, stored: FieldItem[], errors: FormErrors): FieldItem[] {
  const allowed = allowedKeys(field, []);
  let keys: string[];
  if (!und.found) keys = stored.map((i) => String(i.value));
  else {
    const raw = und.value;
    const list = raw === null || raw === undefined ? [] : typeof raw === 'object' ? Object.values(raw as Record<string, unknown>) : [raw];
    keys = list.map((v) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>).value : v))
      .filter((v) => v !== null && v !== undefined && v !== '' && v !== '_none').map(String);
  }
  const key = `${field.name}][${LANGUAGE_NONE}`;
  if (keys.some((k) => !allowed.includes(k))) errors.set(key, 'An illegal choice has been detected. Please contact the site administrator.');
  if (field.required && keys.length === 0) errors.set(key, `${field.label} field is required.`);
  const limit = field.cardinality > 0 ? field.cardinality : keys.length;
  return keys.slice(0, limit).map((value) => ({ value }));
}

function allowedKeys(field: FieldDefinition, fallback: string[]): string[] {
  const allowed = field.settings.allowed_values;
  if (allowed && typeof allowed === 'object') return Object.keys(allowed as Record<string, unknown>);
  return fallback;
}

/** Whether a field's submitted items differ from the stored ones. */
export function itemsChanged(a: FieldItem[] | undefined, b: FieldItem[] | undefined): boolean {
  return JSON.stringify(a ?? []) !== JSON.stringify(b ?? []);
}
