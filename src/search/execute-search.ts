/**
 * Runs searches (http://hl7.org/fhir/R4/search.html): type, system (_type) and compartment search,
 * the matches of conditional interactions, and the SQL and plan of a search for $explain. One page
 * query (keyset), then the total and the includes, all in one read-only snapshot under the
 * configured statement timeout. The caller's row rules (SearchOptions.rows) are part of every
 * statement's SQL (row-condition.ts), so totals and pages count only the rows it may see.
 */
import type { Bundle, QueryParams, RowRules } from '../core/index.js';
import { translateDatabaseError, type Database, type Queryable } from '../db/index.js';
import { compile, raw, sql } from '../sql/index.js';
import { fromRow, type ResourceRow, type StoredVersion } from '../storage/index.js';
import { createCompileContext, type CompileContext } from './compile-context.js';
import { countChainTargets } from './special/chain-targets.js';
import { checkIncludes, loadIncludes } from './results/includes.js';
import { decodeCursor, type PageCursor } from './results/page-cursor.js';
import { searchBundle, type PageResult } from './results/search-bundle.js';
import type { SearchContext } from './search-context.js';
import { searchErrors } from './search-errors.js';
import { planSearch, type Compartment, type SearchPlan } from './search-plan.js';
import { countQuery, estimateQuery, pageQuery } from './search-query.js';
import { parseSearch, type ParsedSearch } from './search-request.js';
import type { Handling } from './search-where.js';

export interface SearchOptions {
  /** The types searched: one for type and compartment search, several (or all) for system search. */
  types: string[];
  query: QueryParams;
  baseUrl: string;
  /** The URL searched without its query, for the links. */
  url: string;
  handling: Handling;
  compartment?: Compartment;
  /** The rows the caller may see (core/row-rules.ts), compiled into every statement; absent, every row. */
  rows?: RowRules;
}

type PageRow = ResourceRow & Record<string, string | null>;

function cursorOf(row: PageRow, sortCount: number, direction: PageCursor['direction']): PageCursor {
  const values = Array.from({ length: sortCount }, (_, index) => row[`c${index}`] ?? null);
  return { values, resourceType: row.resource_type, id: row.id, direction };
}

/**
 * Runs fn under the configured statement timeout: one statement as it is (a statement is its own
 * snapshot, and on PostgreSQL the timeout is its connection's, so it is one round trip), several in
 * a read-only snapshot; inside a transaction (a Bundle entry) in that transaction.
 */
export async function inSearchSnapshot<T>(
  ctx: SearchContext, db: Database | Queryable, fn: (q: Queryable) => Promise<T>, statements: 'one' | 'several' = 'several',
): Promise<T> {
  const timeoutMs = ctx.limits.timeoutMs;
  try {
    if (!('transaction' in db)) return await fn(db);
    if (statements === 'one') return await fn({ query: (query, options) => db.query(query, { ...options, timeoutMs }) });
    return await db.transaction(fn, { readOnly: true, isolation: 'repeatable-read', timeoutMs });
  } catch (error) {
    throw translateDatabaseError(error);
  }
}

/** Whether the search counts its chains' targets before it is planned (special/chain-targets.ts): a statement of its own. */
function countsChainTargets(parsed: ParsedSearch): boolean {
  return parsed.filters.some((filter) => filter.chain);
}

/** Whether a search runs one statement (the page, or only the count) or several (chain targets, a total, includes). */
function statementCount(parsed: ParsedSearch): 'one' | 'several' {
  if (countsChainTargets(parsed)) return 'several';
  if (parsed.summary === 'count' || parsed.count === 0) return 'one';
  const total = parsed.total === 'accurate' || parsed.total === 'estimate';
  return total || parsed.includes.length > 0 ? 'several' : 'one';
}

async function readPage(q: Queryable, plan: SearchPlan, parsed: ParsedSearch, count: number): Promise<Omit<PageResult, 'included' | 'ignored' | 'total'>> {
  const sortCount = parsed.sort.length;
  const cursor = parsed.cursor ? decodeCursor(parsed.cursor, sortCount) : undefined;
  const reversed = cursor?.direction === 'previous';
  const { rows } = await q.query<PageRow>(pageQuery(plan.parts, { limit: count + 1, cursor, reversed }));
  const more = rows.length > count;
  const page = rows.slice(0, count);
  if (reversed) page.reverse();
  const matches = page.map(fromRow);
  const first = page[0];
  const last = page[page.length - 1];
  const hasNext = reversed ? true : more;
  const hasPrevious = reversed ? more : cursor !== undefined;
  return {
    matches,
    next: hasNext && last ? cursorOf(last, sortCount, 'next') : undefined,
    previous: hasPrevious && first ? cursorOf(first, sortCount, 'previous') : undefined,
  };
}

async function countTotal(q: Queryable, plan: SearchPlan, mode: 'estimate' | 'accurate'): Promise<number> {
  if (plan.parts.length === 0) return 0;
  if (mode === 'accurate') {
    const { rows } = await q.query<{ total: string }>(countQuery(plan.parts));
    return Number(rows[0].total);
  }
  const { rows } = await q.query<{ 'QUERY PLAN': unknown }>(estimateQuery(plan.parts));
  const planJson = rows[0]['QUERY PLAN'];
  const parsedPlan = (typeof planJson === 'string' ? JSON.parse(planJson) : planJson) as { Plan: { 'Plan Rows': number } }[];
  return Math.round(parsedPlan[0].Plan['Plan Rows']);
}

function pageSize(ctx: SearchContext, parsed: ParsedSearch): number {
  return Math.min(parsed.count ?? ctx.limits.defaultCount, ctx.limits.maxCount);
}

async function runSearch(ctx: SearchContext, q: Queryable, cc: CompileContext, parsed: ParsedSearch, plan: SearchPlan): Promise<PageResult> {
  if (parsed.summary === 'count' || parsed.count === 0) return { matches: [], included: [], total: await countTotal(q, plan, 'accurate'), ignored: plan.ignored };
  const count = pageSize(ctx, parsed);
  const page = plan.parts.length > 0 && count > 0 ? await readPage(q, plan, parsed, count) : { matches: [] as StoredVersion[] };
  let total: number | undefined;
  if (parsed.total === 'accurate' || parsed.total === 'estimate') total = await countTotal(q, plan, parsed.total);
  else if (parsed.total !== 'none' && !parsed.cursor && !('next' in page && page.next)) total = page.matches.length;
  const included = parsed.includes.length > 0 ? await loadIncludes(cc, q, parsed.includes, page.matches) : [];
  return { ...page, included, total, ignored: plan.ignored };
}

/** Counts the search's chain targets in its snapshot, then plans it (special/chain-targets.ts). */
async function planInSnapshot(q: Queryable, cc: CompileContext, types: string[], parsed: ParsedSearch, handling: Handling, compartment?: Compartment): Promise<SearchPlan> {
  await countChainTargets(q, cc, types, parsed.filters);
  return planSearch(cc, types, parsed, handling, compartment);
}

/** A search as a searchset Bundle. */
export async function search(ctx: SearchContext, db: Database | Queryable, options: SearchOptions): Promise<Bundle> {
  const parsed = parseSearch(options.query, ctx.limits.maxTerms);
  const cc = createCompileContext(ctx, options.baseUrl, options.rows);
  const { plan, result } = await inSearchSnapshot(ctx, db, async (q) => {
    const planned = await planInSnapshot(q, cc, options.types, parsed, options.handling, options.compartment);
    checkIncludes(cc, parsed.includes);
    return { plan: planned, result: await runSearch(ctx, q, cc, parsed, planned) };
  }, statementCount(parsed));
  const ignored = new Set(plan.ignored.flatMap((issue) => issue.expression ?? []));
  const query = options.query.filter(([key]) => !ignored.has(key));
  return searchBundle({ url: options.url, baseUrl: options.baseUrl, query }, parsed, result, ctx.model);
}

/** The matches of a conditional interaction: strict handling, at most `limit` versions, among the rows the rules let the caller see. */
export async function findMatches(
  ctx: SearchContext, db: Queryable, resourceType: string, query: QueryParams, limit: number, rows?: RowRules,
): Promise<StoredVersion[]> {
  const parsed = parseSearch(query, ctx.limits.maxTerms);
  if (parsed.filters.length === 0) throw searchErrors['search.no-criteria'](undefined);
  const cc = createCompileContext(ctx, '', rows);
  try {
    const plan = await planInSnapshot(db, cc, [resourceType], { ...parsed, sort: [] }, 'strict');
    const { rows } = await db.query<ResourceRow>(pageQuery(plan.parts, { limit, reversed: false }));
    return rows.map(fromRow);
  } catch (error) {
    throw translateDatabaseError(error);
  }
}

export interface ExplainedSearch {
  sql: string;
  parameters: unknown[];
  plan: unknown;
}

/** The SQL of a search's page query and PostgreSQL's plan for it (EXPLAIN, or EXPLAIN ANALYZE). */
export async function explainSearch(ctx: SearchContext, db: Database, options: SearchOptions, analyze: boolean): Promise<ExplainedSearch> {
  const parsed = parseSearch(options.query, ctx.limits.maxTerms);
  const cc = createCompileContext(ctx, options.baseUrl, options.rows);
  const count = pageSize(ctx, parsed);
  const cursor = parsed.cursor ? decodeCursor(parsed.cursor, parsed.sort.length) : undefined;
  const explainOptions = analyze ? 'ANALYZE, BUFFERS, FORMAT JSON' : 'FORMAT JSON';
  return inSearchSnapshot(ctx, db, async (q) => {
    const plan = await planInSnapshot(q, cc, options.types, parsed, options.handling, options.compartment);
    const query = pageQuery(plan.parts, { limit: count + 1, cursor, reversed: cursor?.direction === 'previous' });
    const compiled = compile(query);
    const explained = await q.query<{ 'QUERY PLAN': unknown }>(sql`EXPLAIN (${raw(explainOptions)}) ${query}`);
    const planJson = explained.rows[0]['QUERY PLAN'];
    return { sql: compiled.text, parameters: compiled.values, plan: typeof planJson === 'string' ? JSON.parse(planJson) : planJson };
  }, countsChainTargets(parsed) ? 'several' : 'one');
}
