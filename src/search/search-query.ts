/**
 * The SQL of a search page and of its total. Each searched type contributes one SELECT over its
 * table (with its sort values); several types (system search) are combined with UNION ALL. The page
 * is ordered by the sort values and then type and id, continues after a keyset cursor, and fetches
 * one row more than the page to know whether a next page exists.
 */
import { ident, join, raw, sql, type Sql } from '../sql/index.js';
import { afterCursor, orderBy, type OrderColumn } from './results/page-cursor.js';
import type { SortColumn } from './sort-keys.js';

export interface TypeSelection {
  resourceType: string;
  table: string;
  alias: string;
  where: Sql;
  sort: SortColumn[];
}

export interface PageRequest {
  limit: number;
  cursor?: { values: (string | null)[]; resourceType: string; id: string };
  reversed: boolean;
}

const ROW_COLUMNS = 'id, txid, ts, resource_type, status, resource';

function selection(part: TypeSelection): Sql {
  const columns = part.sort.map((column, index) => sql`${column.expression} AS ${raw(`s${index}`)}`);
  const prefix = ['id', 'txid', 'ts', 'resource_type', 'status', 'resource'].map((name) => `${part.alias}.${name}`).join(', ');
  return sql`SELECT ${raw(prefix)}${columns.length > 0 ? sql`, ${join(columns, ', ')}` : raw('')}
    FROM ${ident(part.table)} AS ${raw(part.alias)} WHERE ${part.where}`;
}

/** The order of the combined rows: the sort columns as u.sN, then type (several types only) and id. */
export function combinedOrder(parts: TypeSelection[]): OrderColumn[] {
  const first = parts[0];
  const sort = first.sort.map((column, index) => ({ expression: raw(`u.s${index}`), type: column.type, descending: column.descending }));
  const tieBreakers = parts.length > 1 ? ['u.resource_type', 'u.id'] : ['u.id'];
  return [...sort, ...tieBreakers.map((name) => ({ expression: raw(name), type: 'text', descending: false, notNull: true }))];
}

function cursorValues(parts: TypeSelection[], cursor: NonNullable<PageRequest['cursor']>): (string | null)[] {
  return parts.length > 1 ? [...cursor.values, cursor.resourceType, cursor.id] : [...cursor.values, cursor.id];
}

export function pageQuery(parts: TypeSelection[], page: PageRequest): Sql {
  const order = combinedOrder(parts);
  const union = join(parts.map(selection), ' UNION ALL ');
  const sortText = parts[0].sort.map((_, index) => `, u.s${index}::text AS c${index}`).join('');
  const after = page.cursor ? sql`WHERE ${afterCursor(order, cursorValues(parts, page.cursor), page.reversed)}` : raw('');
  return sql`SELECT ${raw(`u.${ROW_COLUMNS.split(', ').join(', u.')}${sortText}`)} FROM (${union}) AS u ${after}
    ORDER BY ${orderBy(order, page.reversed)} LIMIT ${page.limit}`;
}

/**
 * The planner's row estimate of the matches (_total=estimate): EXPLAIN of the matching rows
 * themselves, whose top node's Plan Rows is the estimate (summed over the types by the Append).
 */
export function estimateQuery(parts: TypeSelection[]): Sql {
  const rows = parts.map((part) => sql`SELECT 1 FROM ${ident(part.table)} AS ${raw(part.alias)} WHERE ${part.where}`);
  return sql`EXPLAIN (FORMAT JSON) ${join(rows, ' UNION ALL ')}`;
}

export function countQuery(parts: TypeSelection[]): Sql {
  const counts = parts.map((part) => sql`SELECT count(*) AS n FROM ${ident(part.table)} AS ${raw(part.alias)} WHERE ${part.where}`);
  return sql`SELECT coalesce(sum(n), 0)::bigint AS total FROM (${join(counts, ' UNION ALL ')}) AS counts`;
}
