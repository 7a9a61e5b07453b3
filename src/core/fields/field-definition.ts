/**
 * User fields as Drupal's Field API defines them on the user entity: field_config (type, cardinality,
 * settings) merged with the user instance (label, required, widget, on the registration form, weight).
 */
export interface FieldDefinition {
  /** Machine name, e.g. `field_phone`. */
  name: string;
  /** Field type: `text`, `list_boolean`, `list_text`, `list_integer`, `number_integer`, … */
  type: string;
  label: string;
  /** Values allowed; -1 = unlimited. */
  cardinality: number;
  required: boolean;
  /** Shown (and validated) on the registration form (instance setting `user_register_form`). */
  onRegister: boolean;
  /** Widget type, e.g. `text_textfield`, `options_onoff`, `options_select`. */
  widget: string;
  weight: number;
  /** field_config settings and instance settings, merged (e.g. `max_length`, `allowed_values`, `text_processing`). */
  settings: Record<string, unknown>;
}

/** One stored item: its columns (`value`, `format`, …) as Drupal's field tables hold them. */
export type FieldItem = Record<string, string | number | null>;

/** An account's stored items by field name (delta order). */
export type FieldValues = Record<string, FieldItem[]>;

/** The language key Drupal uses for untranslatable fields. */
export const LANGUAGE_NONE = 'und';
