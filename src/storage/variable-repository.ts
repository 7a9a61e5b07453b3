import type { Kysely } from 'kysely';
import type { VariableRepository } from '../core/ports.js';
import type { Database } from './schema.js';

/** Site settings, one JSON value per name (Drupal's variable table). */
export class KyselyVariableRepository implements VariableRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async get(name: string): Promise<unknown> {
    const row = await this.db.selectFrom('variable').select('value').where('name', '=', name).executeTakeFirst();
    return row === undefined ? undefined : JSON.parse(row.value);
  }

  async all(): Promise<Record<string, unknown>> {
    const rows = await this.db.selectFrom('variable').selectAll().execute();
    return Object.fromEntries(rows.map((r) => [r.name, JSON.parse(r.value)]));
  }

  async set(name: string, value: unknown): Promise<void> {
    const json = JSON.stringify(value ?? null);
    await this.db.insertInto('variable').values({ name, value: json })
      .onConflict((oc) => oc.column('name').doUpdateSet({ value: json })).execute();
  }

  async setIfAbsent(name: string, value: unknown): Promise<unknown> {
    await this.db.insertInto('variable').values({ name, value: JSON.stringify(value ?? null) })
      .onConflict((oc) => oc.column('name').doNothing()).execute();
    return this.get(name);
  }

  async delete(name: string): Promise<void> {
    await this.db.deleteFrom('variable').where('name', '=', name).execute();
  }
}
