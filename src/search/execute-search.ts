/**
 * Runs a type-level search: filters to a WHERE clause, sort, count and offset paging, and a
 * searchset Bundle with self and next links (http://hl7.org/fhir/R4/search.html).
 */
import { encodeQuery, FhirError, invalid, operationOutcome, type Bundle, type BundleEntry, type Issue, type QueryParams } from '../core/index.js';
import type { Queryable } from '../db/index.js';
import { ident, join, raw, sql, type Sql } from '../sql/index.js';
import { fromRow, type ResourceRow, type StoredVersion } from '../storage/index.js';
import type { SearchContext } from './search-context.js';
import { compileFilter } from './filter-sql.js';
import { parseSearch, type ParsedSearch } from './search-request.js';

export interface SearchOptions {
  resourceType: string;
  query: QueryParams;
  baseUrl: string;
  handling: 'strict' | 'lenient';
}

interface CompiledWhere {
  where: Sql;
  ignored: Issue[];
}

function compileWhere(ctx: SearchContext, resourceType: string, parsed: ParsedSearch, handling: 'strict' | 'lenient'): CompiledWhere {
  const conditions: Sql[] = [sql`TRUE`];
  const ignored: Issue[] = [];
  for (const filter of parsed.filters) {
    try {
      conditions.push(compileFilter(ctx, resourceType, filter));
    } catch (error) {
      if (handling === 'strict' || !(error instanceof FhirError) || error.code !== 'search.unknown-parameter') throw error;
      ignored.push({ ...error.issues[0], severity: 'warning' });
    }
  }
  return { where: join(conditions, ' AND '), ignored };
}

function orderBy(parsed: ParsedSearch): Sql {
  const keys = parsed.sort.map((key) => {
    const column = key.code === '_id' ? 'id' : key.code === '_lastUpdated' ? 'ts' : undefined;
    if (!column) throw invalid('search.bad-sort', `Cannot sort by "${key.code}"`, { expression: '_sort' });
    return raw(`${column} ${key.descending ? 'DESC' : 'ASC'}`);
  });
  keys.push(raw('id ASC'));
  return join(keys, ', ');
}

function storageTable(ctx: SearchContext, resourceType: string): string {
  const storage = ctx.storages.storageFor(resourceType);
  if (!storage) throw new FhirError('not-found', 'rest.unknown-type', `Resource type ${resourceType} is not served`);
  return storage.table;
}

/** The matches of a conditional interaction: strict handling, at most `limit` versions. */
export async function findMatches(ctx: SearchContext, db: Queryable, resourceType: string, query: QueryParams, limit: number): Promise<StoredVersion[]> {
  const parsed = parseSearch(query);
  if (parsed.filters.length === 0) {
    throw invalid('search.no-criteria', 'A conditional interaction needs at least one search parameter');
  }
  const { where } = compileWhere(ctx, resourceType, parsed, 'strict');
  const { rows } = await db.query<ResourceRow>(sql`
    SELECT id, txid, ts, resource_type, status, resource FROM ${ident(storageTable(ctx, resourceType))}
    WHERE ${where} LIMIT ${limit}`);
  return rows.map(fromRow);
}

function entry(baseUrl: string, version: StoredVersion): BundleEntry {
  return { fullUrl: `${baseUrl}/${version.resource.resourceType}/${version.resource.id}`, resource: version.resource, search: { mode: 'match' } };
}

/** A type-level search as a searchset Bundle. */
export async function searchType(ctx: SearchContext, db: Queryable, options: SearchOptions): Promise<Bundle> {
  const parsed = parseSearch(options.query);
  const count = Math.min(parsed.count ?? ctx.limits.defaultCount, ctx.limits.maxCount);
  const { where, ignored } = compileWhere(ctx, options.resourceType, parsed, options.handling);
  const table = ident(storageTable(ctx, options.resourceType));
  const { rows } = await db.query<ResourceRow>(sql`
    SELECT id, txid, ts, resource_type, status, resource FROM ${table}
    WHERE ${where} ORDER BY ${orderBy(parsed)} LIMIT ${count + 1} OFFSET ${parsed.offset}`);
  const hasMore = rows.length > count;
  const matches = rows.slice(0, count).map(fromRow);
  const bundle: Bundle = { resourceType: 'Bundle', type: 'searchset' };
  if (!hasMore && parsed.offset === 0) bundle.total = matches.length;
  else if (parsed.total === 'accurate') {
    const counted = await db.query<{ total: string }>(sql`SELECT count(*) AS total FROM ${table} WHERE ${where}`);
    bundle.total = Number(counted.rows[0].total);
  }
  const self = `${options.baseUrl}/${options.resourceType}?${encodeQuery(options.query)}`;
  bundle.link = [{ relation: 'self', url: self }];
  if (hasMore) {
    const next = options.query.filter(([key]) => key !== '_offset').concat([['_offset', String(parsed.offset + count)]]);
    bundle.link.push({ relation: 'next', url: `${options.baseUrl}/${options.resourceType}?${encodeQuery(next)}` });
  }
  bundle.entry = matches.map((version) => entry(options.baseUrl, version));
  if (ignored.length > 0) bundle.entry.push({ resource: operationOutcome(ignored), search: { mode: 'outcome' } });
  return bundle;
}
