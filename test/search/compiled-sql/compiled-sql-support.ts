/**
 * Compiles one search parameter of a query the way a search of one type does (the WHERE clause of
 * search-where.ts on the alias r0) and runs the condition on its own, named after the query, over
 * the type's table: the SQL and the rows it finds, side by side (kysely's style of test).
 */
import type { QueryParams } from '../../../src/core/index.js';
import { createCompileContext } from '../../../src/search/compile-context.js';
import type { SearchContext } from '../../../src/search/index.js';
import { parseSearch } from '../../../src/search/index.js';
import { compileWhere } from '../../../src/search/search-where.js';
import { sortColumns } from '../../../src/search/sort-keys.js';
import { ident, named, raw, sql, type Sql } from '../../../src/sql/index.js';
import type { TestFlint } from '../../support/test-server.js';

export const BASE_URL = 'http://flint.test/fhir';

function searchContext(flint: TestFlint): SearchContext {
  return { model: flint.ctx.model, storages: flint.ctx.storages, limits: { defaultCount: 10, maxCount: 100, timeoutMs: 0, maxTerms: 100 } };
}

/** name=value, split at the first =, the value as written. */
function queryParams(query: string): QueryParams {
  return query.split('&').map((pair) => {
    const eq = pair.indexOf('=');
    return [pair.slice(0, eq), pair.slice(eq + 1)];
  });
}

function tableOf(flint: TestFlint, resourceType: string): string {
  const storage = flint.ctx.storages.storageFor(resourceType);
  if (!storage) throw new Error(`${resourceType} is not served`);
  return storage.table;
}

/** The condition a query puts on the rows of a type (alias r0), compiled strictly as a search would. */
export function compiledCondition(flint: TestFlint, resourceType: string, query: string): { condition: Sql; sort: Sql[] } {
  const cc = createCompileContext(searchContext(flint), BASE_URL);
  const parsed = parseSearch(queryParams(query));
  const scope = { resourceType, alias: cc.nextAlias() };
  const { where } = compileWhere(cc, scope, parsed.filters, 'strict');
  return { condition: where, sort: sortColumns(cc, scope, parsed.sort).map((column) => column.expression) };
}

/** The ids of the rows of a type the condition holds for, sorted. */
export async function matchingIds(flint: TestFlint, resourceType: string, condition: Sql, name = 'condition'): Promise<string[]> {
  const { rows } = await flint.db.query<{ id: string }>(sql`SELECT r0.id FROM ${ident(tableOf(flint, resourceType))} AS r0
    WHERE ${named(name, condition)} ORDER BY r0.id`);
  return rows.map((row) => row.id);
}

/** The ids of every row of a type in the order of a sort key (then id). */
export async function sortedIds(flint: TestFlint, resourceType: string, key: Sql, descending: boolean): Promise<string[]> {
  const order = raw(descending ? 'DESC' : 'ASC');
  const { rows } = await flint.db.query<{ id: string }>(sql`SELECT r0.id FROM ${ident(tableOf(flint, resourceType))} AS r0
    ORDER BY ${named('sort key', key)} ${order} NULLS LAST, r0.id`);
  return rows.map((row) => row.id);
}
