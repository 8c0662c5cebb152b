/**
 * Table names a storage may use: a lower-case PostgreSQL identifier (letters of any script, digits,
 * _; not starting with a digit or pg_) of at most 63 bytes, so it never needs quoting in SQL and is
 * never truncated. And what is already in the database under a name: nothing, a table with the
 * storage layout (main: primary key id; history: primary key id, txid), or something else.
 */
import type { Queryable } from '../db/index.js';
import { sql } from '../sql/index.js';

export const MAX_TABLE_NAME_BYTES = 63;
const TABLE_NAME = /^[\p{Ll}\p{Lo}_][\p{Ll}\p{Lo}\p{Nd}_]*$/u;
const STORAGE_COLUMNS = ['id', 'txid', 'ts', 'cts', 'resource_type', 'status', 'resource'];

export type TableRole = 'main' | 'history';

/** What is wrong with a table name, or undefined when it is a valid one. */
export function tableNameProblem(name: string): string | undefined {
  const bytes = Buffer.byteLength(name, 'utf8');
  if (bytes > MAX_TABLE_NAME_BYTES) return `is ${bytes} bytes long; PostgreSQL identifiers have at most ${MAX_TABLE_NAME_BYTES}`;
  if (!TABLE_NAME.test(name)) return 'is not a valid identifier (lower-case letters, digits and _, not starting with a digit)';
  if (name.startsWith('pg_')) return 'starts with pg_, which PostgreSQL reserves';
  return undefined;
}

interface RelationRow {
  relkind: string;
  columns: string[];
  key: string[];
}

/** What a name holds: nothing, a table with the layout of the role, or something a storage cannot use. */
export type ExistingTable = { state: 'missing' } | { state: 'usable' } | { state: 'unusable'; problem: string };

export async function inspectTable(tx: Queryable, name: string, role: TableRole): Promise<ExistingTable> {
  const { rows } = await tx.query<RelationRow>(sql`
    SELECT c.relkind::text AS relkind,
      to_jsonb(ARRAY(SELECT a.attname::text FROM pg_attribute a
        WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum)) AS columns,
      to_jsonb(ARRAY(SELECT a.attname::text FROM pg_index i
        CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, n)
        JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
        WHERE i.indrelid = c.oid AND i.indisprimary ORDER BY k.n)) AS key
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = current_schema() AND c.relname = ${name}`);
  const relation = rows[0];
  const unusable = (problem: string): ExistingTable => ({ state: 'unusable', problem });
  if (!relation) {
    const types = await tx.query(sql`
      SELECT 1 FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
      WHERE n.nspname = current_schema() AND t.typname = ${name} AND t.typrelid = 0 AND t.typcategory <> 'A'`);
    return types.rows.length > 0 ? unusable('is the name of a database type') : { state: 'missing' };
  }
  if (relation.relkind !== 'r' && relation.relkind !== 'p') return unusable('is a database object that is not a table');
  const missing = STORAGE_COLUMNS.filter((column) => !relation.columns.includes(column));
  if (missing.length > 0) return unusable(`is a table without the storage columns ${missing.join(', ')}`);
  const key = role === 'main' ? ['id'] : ['id', 'txid'];
  if (relation.key.join(',') !== key.join(',')) {
    return unusable(`is a table whose primary key is not (${key.join(', ')}), so it cannot be a ${role} table`);
  }
  return { state: 'usable' };
}
