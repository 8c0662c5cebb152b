/**
 * The rows a select iterates over, as lateral joins: forEach is a CROSS JOIN LATERAL over the items
 * (no item, no row), forEachOrNull a LEFT JOIN LATERAL (no item: one row whose focus is empty, so
 * its columns are empty and %rowIndex is 0), repeat a recursive walk of the items reached by its
 * expressions, depth first (the order %rowIndex counts). Each iteration row is (v jsonb, i bigint),
 * i counting from 1.
 */
import { join, raw, sql, type Sql } from '../../sql/index.js';
import type { FhirType } from './fhir-types.js';
import { fromWhere, itemAs, oneAs, orderBy, type Many, type One } from './values.js';

/** The focus of the rows of an iteration and their %rowIndex. */
export interface Scope {
  focus: One;
  rowIndex: Sql;
}

/** SQL rows (v, i) of the items of a collection, in FHIRPath order. */
export function itemRows(value: One | Many): Sql {
  if (value.card === 'one') {
    return sql`(SELECT x.v, 1::bigint AS i FROM (SELECT ${oneAs(value, 'jsonb')} AS v) AS x WHERE x.v IS NOT NULL)`;
  }
  if (value.array && value.where.length === 0 && !value.nullable) {
    return sql`(SELECT x.v, x.i FROM jsonb_array_elements(${value.array}) WITH ORDINALITY AS x(v, i))`;
  }
  return sql`(SELECT ${itemAs(value, 'jsonb')} AS v, row_number() OVER (${orderBy(value)}) AS i ${fromWhere(value)})`;
}

export interface Iteration {
  join: Sql;
  scope: Scope;
}

export function forEachJoin(alias: Sql, value: One | Many, orNull: boolean): Iteration {
  const rows = itemRows(value);
  const joinSql = orNull ? sql`LEFT JOIN LATERAL ${rows} AS ${alias} ON true` : sql`CROSS JOIN LATERAL ${rows} AS ${alias}`;
  const focus: One = { card: 'one', sql: sql`${alias}.v`, repr: 'jsonb', types: value.types };
  const rowIndex = orNull ? sql`(coalesce(${alias}.i, 1) - 1)` : sql`(${alias}.i - 1)`;
  return { join: joinSql, scope: { focus, rowIndex } };
}

/** The children of a node along each repeat expression, numbered in order (expression, then item). */
function childRows(children: (One | Many)[]): Sql {
  const parts = children.map((child, k) => sql`SELECT c.v, ${raw(String(k + 1))} AS k, c.i FROM ${itemRows(child)} AS c`);
  return sql`(SELECT u.v, row_number() OVER (ORDER BY u.k, u.i) AS o FROM (${join(parts, ' UNION ALL ')}) AS u)`;
}

/**
 * repeat: `first` are the children of the select's focus, `next(node)` the children of a node
 * reached (the same expressions compiled on the walk's current node).
 */
export function repeatJoin(alias: Sql, walk: Sql, first: (One | Many)[], next: (node: One) => (One | Many)[], types: FhirType[]): Iteration {
  const node: One = { card: 'one', sql: sql`${walk}.v`, repr: 'jsonb', types };
  const rows = sql`(WITH RECURSIVE ${walk}(v, path) AS (
      SELECT c.v, ARRAY[c.o] FROM ${childRows(first)} AS c
      UNION ALL
      SELECT c.v, ${walk}.path || c.o FROM ${walk} CROSS JOIN LATERAL ${childRows(next(node))} AS c)
    SELECT ${walk}.v, row_number() OVER (ORDER BY ${walk}.path) AS i FROM ${walk})`;
  const focus: One = { card: 'one', sql: sql`${alias}.v`, repr: 'jsonb', types };
  return { join: sql`CROSS JOIN LATERAL ${rows} AS ${alias}`, scope: { focus, rowIndex: sql`(${alias}.i - 1)` } };
}
