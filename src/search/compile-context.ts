/**
 * What compiling one search needs: the search context, the base URL (to recognize the server's own
 * absolute references), the request's handling (strict or lenient) and fresh table aliases for the
 * subqueries of chains, _has and composites, and the caller's row rules (row-condition.ts).
 */
import type { RowRules } from '../core/index.js';
import type { SearchParameterResource } from '../model/index.js';
import type { SearchPath } from './parameter-paths.js';
import type { SearchContext } from './search-context.js';
import type { SearchFilter } from './search-request.js';

/** What counting a chain's targets found (special/chain-targets.ts): their keys when few, or that there are many. */
export type ChainTargets = { few: string[] } | 'many';

export interface CompileContext {
  search: SearchContext;
  baseUrl: string;
  nextAlias(): string;
  /** The counted targets of the search's chained filters, by filter and searched type. */
  chainTargets: Map<SearchFilter, Map<string, ChainTargets>>;
  /** The rows the caller may see, per type; absent, every row. Every table the search reads is narrowed by them. */
  rows?: RowRules;
}

/** The rows a condition filters: a table alias of one resource type. */
export interface ResourceScope {
  resourceType: string;
  alias: string;
}

/** A search parameter with the jsonpaths of its expression for one resource type. */
export interface ResolvedParameter {
  definition: SearchParameterResource;
  paths: SearchPath[];
}

/** What a parameter type's condition receives: the document (SQL text), the parameter, the modifier, the values. */
export interface ValueTest {
  /** The resource type searched (a composite reads its components' paths in it). */
  resourceType: string;
  document: string;
  parameter: ResolvedParameter;
  /** The parameter as written, for messages. */
  param: string;
  modifier?: string;
  values: string[];
}

/** A fresh context for one search (or one row condition); aliasPrefix keeps its aliases apart from a statement's own. */
export function createCompileContext(search: SearchContext, baseUrl: string, rows?: RowRules, aliasPrefix = 'r'): CompileContext {
  let counter = 0;
  return { search, baseUrl, nextAlias: () => `${aliasPrefix}${counter++}`, chainTargets: new Map(), ...(rows ? { rows } : {}) };
}

export function documentOf(scope: ResourceScope): string {
  return `${scope.alias}.resource`;
}

/** The table a resource type is stored in, if it is served. */
export function tableOf(cc: CompileContext, resourceType: string): string | undefined {
  return cc.search.storages.storageFor(resourceType)?.table;
}
