/**
 * How the compiler holds a FHIRPath collection in SQL. A collection known to hold at most one item
 * is `One`: an SQL expression, NULL when empty, in one of four representations (jsonb as stored,
 * or a text, numeric or boolean value computed from it). Any other collection is `Many`: a
 * comprehension, the rows of `SELECT item FROM ... WHERE ... ORDER BY ...`, so chains of
 * navigation and where() become one subquery with lateral unnests, never intermediate arrays.
 * A choice element reached without ofType() is `Choice` until something decides its type.
 */
import { join, quoteLiteral, raw, sql, type Sql } from '../../sql/index.js';
import type { FhirType } from './fhir-types.js';

export type Repr = 'jsonb' | 'text' | 'numeric' | 'boolean';

/** The columns of the row a view reads: the resource's table alias. */
export interface RootRow {
  alias: Sql;
}

export interface One {
  card: 'one';
  sql: Sql;
  repr: Repr;
  types: FhirType[];
  /** For jsonb reached as `parent -> 'key'`: reading it as text is `parent ->> 'key'`. */
  nav?: { parent: Sql; key: Sql };
  /** The resource itself: id and meta live in the row's columns. */
  root?: RootRow;
}

export interface Many {
  card: 'many';
  /** FROM items; the first starts the FROM clause, the others are joined laterally in order. */
  from: Sql[];
  where: Sql[];
  item: Sql;
  repr: Repr;
  /** Ordering keys that give the FHIRPath order of the items. */
  order: Sql[];
  types: FhirType[];
  /** The item may be SQL NULL (a member that is absent): such rows are left out. */
  nullable: boolean;
  /** Set while the items are exactly the elements of this jsonb array, in order. */
  array?: Sql;
}

export interface Choice {
  card: 'choice';
  /** The value holding the choice element. */
  parent: One | Many;
  /** The JSON key and type of each option (valueQuantity: Quantity...). */
  options: { key: string; type: FhirType }[];
}

export type Value = One | Many | Choice;

/** Makes table aliases unique within one compiled query. */
export class Aliases {
  private next = 1;
  take(prefix: string): Sql {
    return raw(`${prefix}${this.next++}`);
  }
}

const ELEMENT_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A JSON key known from the model (element names are identifiers), as an SQL literal. */
export function jsonKey(name: string): Sql {
  if (!ELEMENT_NAME.test(name)) throw new Error(`not an element name: ${name}`);
  return raw(quoteLiteral(name));
}

/** The empty collection, as a typed SQL NULL. */
export const emptyOne = (types: FhirType[], repr: Repr = 'jsonb'): One => ({ card: 'one', sql: raw(`NULL::${repr}`), repr, types });

export function one(sqlText: Sql, repr: Repr, types: FhirType[]): One {
  return { card: 'one', sql: sqlText, repr, types };
}

/** The FROM ... WHERE ... part of a comprehension. */
export function fromWhere(many: Many): Sql {
  const [first, ...rest] = many.from;
  const joins = rest.map((item) => sql` CROSS JOIN LATERAL ${item}`);
  const conditions = many.nullable ? [...many.where, sql`${many.item} IS NOT NULL`] : many.where;
  const where = conditions.length > 0 ? sql` WHERE ${join(conditions, ' AND ')}` : sql``;
  return sql`FROM ${first}${join(joins, '')}${where}`;
}

export function orderBy(many: Many, descending = false): Sql {
  if (many.order.length === 0) return sql``;
  const keys = many.order.map((key) => (descending ? sql`${key} DESC` : key));
  return sql` ORDER BY ${join(keys, ', ')}`;
}

export function castRepr(value: Sql, from: Repr, to: Repr, nav?: One['nav']): Sql {
  if (from === to) return value;
  if (from === 'jsonb') {
    if (to === 'text') return nav ? sql`(${nav.parent} ->> ${nav.key})` : sql`(${value} #>> '{}')`;
    return to === 'numeric' ? sql`(${value})::numeric` : sql`(${value})::boolean`;
  }
  if (to === 'jsonb') return sql`to_jsonb(${value})`;
  if (to === 'text') return sql`(${value})::text`;
  return to === 'numeric' ? sql`(${value})::numeric` : sql`(${value})::boolean`;
}

/** One value in the wanted representation. */
export function oneAs(value: One, repr: Repr): Sql {
  return castRepr(value.sql, value.repr, repr, value.nav);
}

/** A comprehension's item in the wanted representation. */
export function itemAs(many: Many, repr: Repr): Sql {
  return castRepr(many.item, many.repr, repr);
}

/** The collection as a jsonb array ('[]' when empty). */
export function toArray(value: One | Many): Sql {
  if (value.card === 'one') {
    const json = oneAs(value, 'jsonb');
    return sql`(CASE WHEN ${json} IS NULL THEN '[]'::jsonb ELSE jsonb_build_array(${json}) END)`;
  }
  if (value.array && value.where.length === 0 && !value.nullable) return sql`coalesce(${value.array}, '[]'::jsonb)`;
  return sql`(SELECT coalesce(jsonb_agg(${itemAs(value, 'jsonb')}${orderBy(value)}), '[]'::jsonb) ${fromWhere(value)})`;
}

/** The first item (in FHIRPath order), or the last. */
export function firstOf(many: Many, last = false): One {
  if (many.array && many.where.length === 0 && !many.nullable) {
    const index = last ? raw('-1') : raw('0');
    return { card: 'one', sql: sql`(${many.array} -> ${index})`, repr: 'jsonb', types: many.types };
  }
  return {
    card: 'one',
    sql: sql`(SELECT ${many.item} ${fromWhere(many)}${orderBy(many, last)} LIMIT 1)`,
    repr: many.repr,
    types: many.types,
  };
}

/** Whether the collection has an item. */
export function existsOf(value: One | Many): Sql {
  if (value.card === 'one') return sql`(${value.sql} IS NOT NULL)`;
  return sql`EXISTS (SELECT 1 ${fromWhere(value)})`;
}

/** Whether some item, read as text, is in `list` (an SQL text[] expression). */
export function someItemIn(value: One | Many, list: Sql): Sql {
  if (value.card === 'one') return sql`(${oneAs(value, 'text')} = ANY(${list}))`;
  return existsOf({ ...value, where: [...value.where, sql`${itemAs(value, 'text')} = ANY(${list})`], array: undefined });
}
