import { type DatabaseIntrospector, type DatabaseMetadata, type Kysely, PostgresDialect, type SchemaMetadata, sql, type TableMetadata } from 'kysely';

/**
 * PostgreSQL, introspected in the connection's own schema only.
 *
 * Kysely's migrator asks the introspector whether its bookkeeping tables exist, and the stock PostgreSQL
 * introspector lists every table of every schema, calling `has_schema_privilege(name)` and
 * `pg_get_serial_sequence(name)` on each by *name*. When another application (or another Gatehouse schema on
 * the same database) drops a schema while that query runs, PostgreSQL answers `schema "…" does not exist`
 * and our start fails for somebody else's DDL. This introspector looks up tables by the namespace's oid, in
 * `current_schema()` only (our own schema is not dropped under us), so no other schema can break a migration.
 */
export class SchemaScopedPostgresDialect extends PostgresDialect {
  override createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new CurrentSchemaIntrospector(db);
  }
}

interface ColumnRow {
  table: string; schema: string; table_type: string; column: string; type: string; type_schema: string;
  not_null: boolean; has_default: boolean; serial: string | null;
}

class CurrentSchemaIntrospector implements DatabaseIntrospector {
  constructor(private readonly db: Kysely<any>) {}

  async getSchemas(): Promise<SchemaMetadata[]> {
    const { rows } = await sql<{ name: string }>`select nspname as name from pg_catalog.pg_namespace`.execute(this.db);
    return rows.map((r) => ({ name: r.name }));
  }

  async getTables(): Promise<TableMetadata[]> {
    const { rows } = await sql<ColumnRow>`
      select c.relname as table, ns.nspname as schema, c.relkind as table_type, a.attname as column,
             typ.typname as type, tns.nspname as type_schema, a.attnotnull as not_null, a.atthasdef as has_default,
             pg_get_serial_sequence(quote_ident(ns.nspname) || '.' || quote_ident(c.relname), a.attname) as serial
        from pg_catalog.pg_class c
        join pg_catalog.pg_namespace ns on ns.oid = c.relnamespace
        join pg_catalog.pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
        join pg_catalog.pg_type typ on typ.oid = a.atttypid
        join pg_catalog.pg_namespace tns on tns.oid = typ.typnamespace
       where ns.nspname = current_schema() and c.relkind in ('r', 'v', 'p')
       order by c.relname, a.attnum`.execute(this.db);
    const tables = new Map<string, TableMetadata & { columns: TableMetadata['columns'][number][] }>();
    for (const r of rows) {
      let t = tables.get(r.table);
      if (!t) tables.set(r.table, t = { name: r.table, schema: r.schema, isView: r.table_type === 'v', columns: [] });
      t.columns.push({
        name: r.column, dataType: r.type, dataTypeSchema: r.type_schema, isNullable: !r.not_null,
        hasDefaultValue: r.has_default, isAutoIncrementing: r.serial !== null,
      });
    }
    return [...tables.values()];
  }

  async getMetadata(): Promise<DatabaseMetadata> {
    return { tables: await this.getTables() };
  }
}
