import type { Kysely } from 'kysely';
import type { FieldDefinition, FieldItem, FieldValues } from '../core/fields/field-definition.js';
import type { FieldRepository } from '../core/ports.js';
import type { Database } from './schema.js';

/** User field definitions (gatehouse_field) and items (gatehouse_field_value, one JSON row per delta). */
export class KyselyFieldRepository implements FieldRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async definitions(): Promise<FieldDefinition[]> {
    const rows = await this.db.selectFrom('gatehouse_field').selectAll().orderBy('weight').orderBy('name').execute();
    return rows.map((r) => ({
      name: r.name, type: r.type, label: r.label, cardinality: Number(r.cardinality), required: Number(r.required) === 1,
      onRegister: Number(r.on_register) === 1, widget: r.widget, weight: Number(r.weight), settings: parseObject(r.settings),
    }));
  }

  async saveDefinition(d: FieldDefinition): Promise<void> {
    const row = {
      name: d.name, type: d.type, label: d.label, cardinality: d.cardinality, required: d.required ? 1 : 0,
      on_register: d.onRegister ? 1 : 0, widget: d.widget, weight: d.weight, settings: JSON.stringify(d.settings),
    };
    const { name: _name, ...changes } = row;
    await this.db.insertInto('gatehouse_field').values(row).onConflict((oc) => oc.column('name').doUpdateSet(changes)).execute();
  }

  async valuesOf(uid: number): Promise<FieldValues> {
    const rows = await this.db.selectFrom('gatehouse_field_value').select(['field', 'item']).where('uid', '=', uid).orderBy('field').orderBy('delta').execute();
    const out: FieldValues = {};
    for (const r of rows) (out[r.field] ??= []).push(parseObject(r.item) as FieldItem);
    return out;
  }

  async setItems(uid: number, field: string, items: FieldItem[]): Promise<void> {
    await this.db.deleteFrom('gatehouse_field_value').where('uid', '=', uid).where('field', '=', field).execute();
    if (items.length > 0) {
      await this.db.insertInto('gatehouse_field_value').values(items.map((item, delta) => ({ uid, field, delta, item: JSON.stringify(item) }))).execute();
    }
  }

  async deleteFor(uid: number): Promise<void> {
    await this.db.deleteFrom('gatehouse_field_value').where('uid', '=', uid).execute();
  }
}

function parseObject(text: string): Record<string, unknown> {
  try {
    const v = JSON.parse(text) as unknown;
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
