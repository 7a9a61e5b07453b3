import type { FieldDefinition, FieldItem, FieldValues } from '../../../core/fields/field-definition.js';
import { LANGUAGE_NONE } from '../../../core/fields/field-definition.js';
import type { ManagedFile } from '../../../core/fields/managed-file.js';
import type { Account } from '../../../core/model.js';
import type { Store } from '../../../core/ports.js';
import type { SiteSettings } from '../../../core/settings/site-settings.js';
import { markPhpObject } from '../../../lib/php-values.js';
import { fileUrl } from '../../../core/fields/file-url.js';

/** What user_load adds to the users row: the picture's file object and the Field API fields, in wire shape. */
export interface UserExtras {
  /** The file object when pictures are on and the file exists; null when on and none; undefined when off. */
  picture: Record<string, unknown> | null | undefined;
  /** [field name, `{und: [items]}` or `[]`], in field order. */
  fields: Array<[string, unknown]>;
}

/** Loads an account's picture file and field items and shapes them as Drupal's user_load shows them. */
export async function loadUserExtras(store: Store, account: Account, settings: SiteSettings, baseUrl: string): Promise<UserExtras> {
  const definitions = await store.fields.definitions();
  const values = definitions.length > 0 ? await store.fields.valuesOf(account.uid) : {};
  let picture: UserExtras['picture'];
  if (settings.flag('user_pictures')) {
    const file = account.picture > 0 ? await store.files.byFid(account.picture) : undefined;
    picture = file ? pictureObject(file, settings, baseUrl) : null;
  }
  return { picture, fields: fieldsWire(definitions, values) };
}

/** A field as the user object carries it: `{"und": [items]}`, or `[]` when it has no items. */
export function fieldsWire(definitions: FieldDefinition[], values: FieldValues): Array<[string, unknown]> {
  return definitions.map((field) => {
    const items = values[field.name] ?? [];
    if (items.length === 0) return [field.name, []];
    return [field.name, markPhpObject({ [LANGUAGE_NONE]: items.map((item) => markPhpObject(itemWire(field, item))) })];
  });
}

/** text items gain `safe_value` (check_plain of the value without text processing); others show their columns. */
function itemWire(field: FieldDefinition, item: FieldItem): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(item)) out[k] = v === null ? null : String(v);
  if (field.type === 'text' || field.type === 'text_long') {
    out.format = out.format ?? null;
    out.safe_value = checkPlain(String(out.value ?? ''));
  }
  return out;
}

/** The picture's file object (file_load) with its public URL (file_create_url). */
export function pictureObject(file: ManagedFile, settings: SiteSettings, baseUrl: string): Record<string, unknown> {
  const obj: Record<string, unknown> = {
    fid: String(file.fid), uid: String(file.uid), filename: file.filename, uri: file.uri, filemime: file.filemime,
    filesize: String(file.filesize), status: String(file.status), timestamp: String(file.timestamp),
  };
  // The rdf module (on where the site maps users to RDF) attaches an empty mapping to file entities.
  if (settings.raw('gatehouse_user_rdf_mapping') !== undefined && settings.raw('gatehouse_user_rdf_mapping') !== null) obj.rdf_mapping = [];
  obj.url = fileUrl(file.uri, settings, baseUrl);
  return markPhpObject(obj);
}

/** check_plain: htmlspecialchars with ENT_QUOTES. */
function checkPlain(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#039;');
}
