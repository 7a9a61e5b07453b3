/**
 * Step `fields`: the user entity's Field API fields — definitions from `field_config` + `field_config_instance`
 * (entity `user`, bundle `user`; label, required, widget, on the registration form, settings) and each
 * account's items from `field_data_<field>` (language `und`, not deleted). An account's items in Gatehouse
 * become exactly the site's. Rows of accounts that were not imported are reported; a field whose table is
 * missing is reported and its definition kept.
 */
import type { FieldDefinition, FieldItem } from '../../core/fields/field-definition.js';
import { phpUnserialize } from '../../lib/php-serialize.js';
import { changeKind } from './report.js';
import type { ImportContext, ImportStep } from './step.js';

const TABLE = 'field_config_instance';

export const fieldsStep: ImportStep = {
  name: 'fields',
  async count(ctx) {
    if (!(await ctx.source.hasTable(TABLE))) return 0;
    const rows = await ctx.source.query("SELECT COUNT(*) AS n FROM {field_config_instance} WHERE entity_type = 'user' AND deleted = 0");
    return Number(rows[0]?.n ?? 0);
  },
  async run(ctx) {
    if (!(await ctx.source.hasTable(TABLE)) || !(await ctx.source.hasTable('field_config'))) {
      ctx.report.note('The site has no field tables: no user fields were imported.');
      return;
    }
    await importUserRdfMapping(ctx);
    for (const definition of await readDefinitions(ctx)) {
      await saveDefinition(ctx, definition);
      await importValues(ctx, definition);
      ctx.progress.advance(1);
    }
  },
};

async function readDefinitions(ctx: ImportContext): Promise<FieldDefinition[]> {
  const rows = await ctx.source.query(
    `SELECT fc.field_name, fc.type, fc.cardinality, fc.data AS field_data, fci.data AS instance_data
       FROM {field_config_instance} fci JOIN {field_config} fc ON fc.id = fci.field_id
      WHERE fci.entity_type = 'user' AND fci.bundle = 'user' AND fci.deleted = 0 AND fc.deleted = 0
      ORDER BY fci.id`);
  const out: FieldDefinition[] = [];
  for (const row of rows) {
    const name = String(row.field_name);
    const field = unserializeMap(ctx, name, row.field_data);
    const instance = unserializeMap(ctx, name, row.instance_data);
    if (!field || !instance) continue;
    const widget = (instance.widget ?? {}) as Record<string, unknown>;
    const instanceSettings = (instance.settings ?? {}) as Record<string, unknown>;
    out.push({
      name, type: String(row.type), label: String(instance.label ?? name), cardinality: Number(row.cardinality),
      required: truthy(instance.required), onRegister: truthy(instanceSettings.user_register_form),
      widget: String(widget.type ?? ''), weight: Number(widget.weight ?? 0),
      settings: { ...((field.settings ?? {}) as Record<string, unknown>), ...instanceSettings },
    });
  }
  return out;
}

function unserializeMap(ctx: ImportContext, name: string, text: unknown): Record<string, unknown> | null {
  try {
    const v = phpUnserialize(String(text ?? ''));
    if (v && typeof v === 'object') return v as Record<string, unknown>;
  } catch { /* reported below */ }
  ctx.report.error(TABLE, `field=${name}`, 'its settings do not unserialize: the field was not imported');
  return null;
}

async function saveDefinition(ctx: ImportContext, d: FieldDefinition): Promise<void> {
  const row = {
    name: d.name, type: d.type, label: d.label, cardinality: d.cardinality, required: d.required ? 1 : 0,
    on_register: d.onRegister ? 1 : 0, widget: d.widget, weight: d.weight, settings: JSON.stringify(d.settings),
  };
  const before = await ctx.target.selectFrom('gatehouse_field').selectAll().where('name', '=', d.name).executeTakeFirst();
  const kind = changeKind(before, row);
  if (kind === 'imported') await ctx.target.insertInto('gatehouse_field').values(row).execute();
  else if (kind === 'updated') await ctx.target.updateTable('gatehouse_field').set(row).where('name', '=', d.name).execute();
  ctx.report.count(TABLE, kind);
}

async function importValues(ctx: ImportContext, d: FieldDefinition): Promise<void> {
  const table = `field_data_${d.name}`;
  if (!/^\w+$/.test(d.name) || !(await ctx.source.hasTable(table))) {
    ctx.report.error(table, `field=${d.name}`, 'the field has no data table on the site: no values imported');
    return;
  }
  const rows = await ctx.source.query(
    `SELECT * FROM {${table}} WHERE entity_type = 'user' AND deleted = 0 AND language = 'und' ORDER BY entity_id, delta`);
  const byUid = new Map<number, FieldItem[]>();
  for (const row of rows) {
    const uid = Number(row.entity_id);
    if (!ctx.shared.uids.has(uid)) { ctx.report.error(table, `uid=${uid} delta=${row.delta}`, 'the account was not imported'); continue; }
    const item: FieldItem = {};
    for (const [column, value] of Object.entries(row)) {
      if (!column.startsWith(`${d.name}_`)) continue;
      item[column.slice(d.name.length + 1)] = value === null || value === undefined ? null : String(value);
    }
    let items = byUid.get(uid);
    if (!items) byUid.set(uid, (items = []));
    items.push(item);
  }
  for (const uid of ctx.shared.uids) {
    const wanted = byUid.get(uid) ?? [];
    if (d.required && uid > 0 && wanted.length === 0) {
      ctx.report.warn(table, `uid=${uid}`, `required field ${d.name} is empty: kept; the account's next profile save asks for it (as on the site)`);
    }
    const stored = await ctx.target.selectFrom('gatehouse_field_value').select(['delta', 'item']).where('uid', '=', uid).where('field', '=', d.name).orderBy('delta').execute();
    const same = JSON.stringify(stored.map((s) => JSON.parse(s.item) as unknown)) === JSON.stringify(wanted);
    if (same) { if (wanted.length > 0) ctx.report.count(table, 'unchanged', wanted.length); continue; }
    await ctx.target.deleteFrom('gatehouse_field_value').where('uid', '=', uid).where('field', '=', d.name).execute();
    if (wanted.length > 0) {
      await ctx.target.insertInto('gatehouse_field_value').values(wanted.map((item, delta) => ({ uid, field: d.name, delta, item: JSON.stringify(item) }))).execute();
    }
    ctx.report.count(table, stored.length === 0 ? 'imported' : wanted.length === 0 ? 'removed' : 'updated', Math.max(wanted.length, 1));
  }
}

/** rdf.module's default mapping of the user entity (rdf_rdf_mapping via user_rdf_mapping). */
const USER_RDF_DEFAULT = { rdftype: ['sioc:UserAccount'], name: { predicates: ['foaf:name'] }, homepage: { predicates: ['foaf:page'], type: 'rel' } };

/**
 * Where the rdf module is on, user_load attaches the user's RDF mapping (`rdf_mapping` on the user object, an
 * empty one on file objects): the default, or the site's `rdf_mapping` row for user/user.
 */
async function importUserRdfMapping(ctx: ImportContext): Promise<void> {
  if (!(await ctx.source.hasTable('system'))) return;
  const [rdf] = await ctx.source.query("SELECT status FROM {system} WHERE name = 'rdf' AND type = 'module'");
  if (!rdf || Number(rdf.status) !== 1) return;
  let mapping: unknown = USER_RDF_DEFAULT;
  if (await ctx.source.hasTable('rdf_mapping')) {
    const [row] = await ctx.source.query("SELECT mapping FROM {rdf_mapping} WHERE type = 'user' AND bundle = 'user'");
    if (row) { try { mapping = { ...USER_RDF_DEFAULT, ...(phpUnserialize(String(row.mapping)) as object) }; } catch { ctx.report.error('rdf_mapping', 'type=user', 'the mapping does not unserialize: the default applies'); } }
  }
  const json = JSON.stringify(mapping);
  await ctx.target.insertInto('variable').values({ name: 'gatehouse_user_rdf_mapping', value: json })
    .onConflict((oc) => oc.column('name').doUpdateSet({ value: json })).execute();
}

function truthy(v: unknown): boolean {
  return !(v === undefined || v === null || v === false || v === 0 || v === '' || v === '0');
}
