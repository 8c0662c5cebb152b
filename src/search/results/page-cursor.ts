/**
 * Keyset paging (docs/search.md): a page link carries a cursor with the sort values, type and id of
 * the row it continues from, and the direction. The next page is the rows after that row in the
 * search's order (sort keys, then type and id, nulls last), so pages neither skip nor repeat rows
 * when other clients write between requests.
 */
import { join, raw, sql, type Sql } from '../../sql/index.js';
import { searchErrors } from '../search-errors.js';
import type { SortColumn } from '../sort-keys.js';

export interface PageCursor {
  /** The sort values of the row (text, as PostgreSQL printed them), null for none. */
  values: (string | null)[];
  resourceType: string;
  id: string;
  direction: 'next' | 'previous';
}

export function encodeCursor(cursor: PageCursor): string {
  return Buffer.from(JSON.stringify([cursor.direction === 'next' ? 'n' : 'p', cursor.resourceType, cursor.id, cursor.values])).toString('base64url');
}

export function decodeCursor(text: string, sortCount: number): PageCursor {
  try {
    const [direction, resourceType, id, values] = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as [string, string, string, (string | null)[]];
    if ((direction === 'n' || direction === 'p') && typeof id === 'string' && typeof resourceType === 'string'
      && Array.isArray(values) && values.length === sortCount) {
      return { direction: direction === 'n' ? 'next' : 'previous', resourceType, id, values };
    }
  } catch { /* reported below */ }
  throw searchErrors['search.bad-cursor'](undefined, { expression: '_cursor' });
}

export interface OrderColumn {
  expression: Sql;
  type: string;
  descending: boolean;
  /** Columns that are never null (type, id) compare without the null cases, so an index can seek. */
  notNull?: boolean;
}

/** The order of a search: the sort columns, then the tie-breakers (type and id, ascending). */
export function orderColumns(sort: SortColumn[], tieBreakers: Sql[]): OrderColumn[] {
  return [...sort, ...tieBreakers.map((expression) => ({ expression, type: 'text', descending: false, notNull: true }))];
}

export function orderBy(columns: OrderColumn[], reversed: boolean): Sql {
  return join(columns.map((column) => {
    const descending = column.descending !== reversed;
    return sql`${column.expression} ${raw(descending ? 'DESC' : 'ASC')} NULLS ${raw(reversed ? 'FIRST' : 'LAST')}`;
  }), ', ');
}

/** Rows strictly after (or, reversed, before) the cursor's row in the order of the columns. */
export function afterCursor(columns: OrderColumn[], values: (string | null)[], reversed: boolean): Sql {
  const alternatives: Sql[] = [];
  const equalSoFar: Sql[] = [];
  columns.forEach((column, index) => {
    const value = values[index];
    const typed = sql`${value}::${raw(column.type)}`;
    const forward = column.descending === reversed;
    let beyond: Sql;
    if (column.notNull) beyond = sql`${column.expression} ${raw(forward ? '>' : '<')} ${typed}`;
    else if (!reversed) beyond = value === null ? raw('FALSE') : sql`(${column.expression} ${raw(forward ? '>' : '<')} ${typed} OR ${column.expression} IS NULL)`;
    else beyond = value === null ? sql`${column.expression} IS NOT NULL` : sql`${column.expression} ${raw(forward ? '>' : '<')} ${typed}`;
    alternatives.push(equalSoFar.length > 0 ? sql`(${join(equalSoFar, ' AND ')} AND ${beyond})` : beyond);
    equalSoFar.push(value === null ? sql`${column.expression} IS NULL` : sql`${column.expression} = ${typed}`);
  });
  return sql`(${join(alternatives, ' OR ')})`;
}
