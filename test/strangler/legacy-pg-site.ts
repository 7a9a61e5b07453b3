import pg from 'pg';
import { PG_URL } from '../helpers/postgres.js';
import { loadLegacySite, rows } from './legacy-site.js';

/** A statement with `?` placeholders on the legacy database (MariaDB or PostgreSQL). */
export type Q = (statement: string, params?: unknown[]) => Promise<any[]>;

export interface PostgresLegacySite { url: string; q: Q; drop(): Promise<void> }

interface Column { TABLE_NAME: string; COLUMN_NAME: string; COLUMN_TYPE: string; DATA_TYPE: string; IS_NULLABLE: string; COLUMN_DEFAULT: string | null; EXTRA: string }

/** Drupal 7's pgsql schema driver's type for a MySQL column (serial for auto-increment, bytea for blobs). */
function pgType(c: Column): string {
  const big = c.DATA_TYPE === 'bigint';
  if (/auto_increment/.test(c.EXTRA)) return big ? 'bigserial' : 'serial';
  if (/int$/.test(c.DATA_TYPE)) return big ? 'bigint' : c.DATA_TYPE === 'tinyint' || c.DATA_TYPE === 'smallint' ? 'smallint' : 'integer';
  if (/^(var)?char$/.test(c.DATA_TYPE)) return c.COLUMN_TYPE.replace(/^varchar/, 'varchar');
  if (/text$/.test(c.DATA_TYPE)) return 'text';
  if (/blob$/.test(c.DATA_TYPE)) return 'bytea';
  if (c.DATA_TYPE === 'float') return 'real';
  if (c.DATA_TYPE === 'double') return 'double precision';
  if (c.DATA_TYPE === 'decimal') return c.COLUMN_TYPE.replace(/^decimal/, 'numeric').replace(/ unsigned$/, '');
  throw new Error(`no PostgreSQL type for ${c.TABLE_NAME}.${c.COLUMN_NAME} ${c.COLUMN_TYPE}`);
}

function columnSql(c: Column): string {
  const type = pgType(c);
  let out = `"${c.COLUMN_NAME}" ${type}`;
  if (c.IS_NULLABLE === 'NO') out += ' NOT NULL';
  if (c.COLUMN_DEFAULT !== null && c.COLUMN_DEFAULT !== 'NULL' && !/serial/.test(type)) out += ` DEFAULT ${type === 'bytea' ? `convert_to(${c.COLUMN_DEFAULT}, 'UTF8')` : c.COLUMN_DEFAULT}`;
  if (/unsigned/.test(c.COLUMN_TYPE)) out += ` CHECK ("${c.COLUMN_NAME}" >= 0)`;
  return out;
}

/**
 * Site B as a Drupal 7 site on PostgreSQL: its dump is loaded into MariaDB, then every table is created in
 * a PostgreSQL database of this test's own the way Drupal's pgsql schema driver lays it out (serial columns
 * with their `<table>_<column>_seq`, bytea blobs, unsigned as CHECK, `<table>_pkey`, `<table>_<key>_key`)
 * and its rows copied.
 */
export async function loadLegacySiteOnPostgres(tag: string): Promise<PostgresLegacySite> {
  const source = await loadLegacySite(`${tag}_src`);
  const name = `gh_legacy_${tag}_${process.pid}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name}`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = PG_URL.replace(/\/[^/]*$/, `/${name}`);
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  try {
    const columns = await rows(source, 'SELECT * FROM information_schema.columns WHERE table_schema = ? ORDER BY table_name, ordinal_position', [source.name]) as Column[];
    const keys = await rows(source, 'SELECT table_name AS t, index_name AS k, column_name AS c FROM information_schema.statistics WHERE table_schema = ? AND non_unique = 0 ORDER BY table_name, index_name, seq_in_index', [source.name]);
    const tables = [...new Set(columns.map((c) => c.TABLE_NAME))];
    for (const table of tables) {
      const defs = columns.filter((c) => c.TABLE_NAME === table).map(columnSql);
      const uniques = new Map<string, string[]>();
      for (const k of keys.filter((k) => k.t === table)) uniques.set(k.k, [...(uniques.get(k.k) ?? []), `"${k.c}"`]);
      for (const [key, cols] of uniques) defs.push(key === 'PRIMARY' ? `CONSTRAINT ${table}_pkey PRIMARY KEY (${cols})` : `CONSTRAINT ${table}_${key}_key UNIQUE (${cols})`);
      await pool.query(`CREATE TABLE "${table}" (${defs.join(', ')})`);
      const data = await rows(source, `SELECT * FROM \`${table}\``);
      for (const row of data) {
        const names = Object.keys(row);
        await pool.query(`INSERT INTO "${table}" (${names.map((n) => `"${n}"`).join(', ')}) VALUES (${names.map((_, i) => `$${i + 1}`).join(', ')})`, Object.values(row));
      }
      for (const c of columns.filter((c) => c.TABLE_NAME === table && /auto_increment/.test(c.EXTRA))) {
        await pool.query(`SELECT setval(pg_get_serial_sequence('${table}', '${c.COLUMN_NAME}'), GREATEST((SELECT MAX("${c.COLUMN_NAME}") FROM "${table}"), 1))`);
      }
    }
  } finally {
    await source.drop();
  }
  const q: Q = async (statement, params = []) => { let n = 0; return (await pool.query(statement.replace(/\?/g, () => `$${++n}`), params)).rows; };
  return {
    url, q,
    drop: async () => {
      await pool.end();
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name}`);
      await c.end();
    },
  };
}
