import type { FieldItem } from '../core/fields/field-definition.js';
import type { LegacyDatabase } from './legacy-database.js';

const IDENTIFIER = /^[a-z][a-z0-9_]{0,31}$/;

/** A field or column name unsafe to name in SQL. */
export class LegacyFieldNameError extends Error {}

function checked(name: string): string {
  if (!IDENTIFIER.test(name)) throw new LegacyFieldNameError(`not a Drupal field or column name: "${name}"`);
  return name;
}

/**
 * User field values in the legacy Field API tables: `field_data_<field>` and `field_revision_<field>`
 * (users are not revisioned: revision_id = uid), language `und`, one row per delta, columns `<field>_<column>`.
 */
export class LegacyFields {
  constructor(private readonly db: LegacyDatabase) {}

  /** Replaces the account's items of one field in both tables. A field the legacy site lacks is skipped. */
  async setItems(uid: number, field: string, items: FieldItem[]): Promise<void> {
    const name = checked(field);
    if (!(await this.exists(`field_data_${name}`))) return;
    for (const table of [`field_data_${name}`, `field_revision_${name}`]) {
      await this.db.execute(`clear ${table}`, `DELETE FROM ${table} WHERE entity_type = 'user' AND entity_id = ?`, [uid]);
      for (const [delta, item] of items.entries()) {
        const columns = Object.keys(item).map((c) => `${name}_${checked(c)}`);
        const values = Object.values(item);
        await this.db.execute(`write ${table}`,
          `INSERT INTO ${table} (entity_type, bundle, deleted, entity_id, revision_id, language, delta${columns.map((c) => `, ${c}`).join('')})
           VALUES ('user', 'user', 0, ?, ?, 'und', ?${values.map(() => ', ?').join('')})`,
          [uid, uid, delta, ...values]);
      }
    }
  }

  /** field_attach_delete for a user: every field table loses the account's rows. */
  async deleteFor(uid: number): Promise<void> {
    for (const table of await this.db.fieldTables()) {
      await this.db.execute(`clear ${table}`, `DELETE FROM ${table} WHERE entity_type = 'user' AND entity_id = ?`, [uid]);
    }
  }

  private async exists(table: string): Promise<boolean> {
    return (await this.db.tables(table)).includes(table);
  }
}
