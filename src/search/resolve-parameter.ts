/**
 * Finds the SearchParameter a query parameter names for a resource type and the jsonpaths of its
 * expression, cached per definition object and model revision (a changed SearchParameter is a new
 * object, and a changed type definition a new revision, so run-time definitions take effect at
 * once and stale paths are never used).
 */
import type { FhirError } from '../core/index.js';
import type { SearchParameterResource } from '../model/index.js';
import type { CompileContext, ResolvedParameter } from './compile-context.js';
import { searchPaths, type SearchPath } from './parameter-paths.js';
import { searchErrors } from './search-errors.js';

/** Paths by resource type, as translated at one revision of the model (they follow the types' elements). */
interface CachedPaths {
  revision: number;
  byType: Map<string, SearchPath[] | null>;
}

const pathCache = new WeakMap<SearchParameterResource, CachedPaths>();

export function unknownParameter(param: string, resourceType: string): FhirError {
  return searchErrors['search.unknown-parameter']({ detail: `Unknown search parameter "${param}" for ${resourceType}` }, { expression: param });
}

function pathsOf(cc: CompileContext, definition: SearchParameterResource, resourceType: string): SearchPath[] | null {
  const { revision } = cc.search.model;
  let cached = pathCache.get(definition);
  if (!cached || cached.revision !== revision) pathCache.set(definition, (cached = { revision, byType: new Map() }));
  const { byType } = cached;
  let paths = byType.get(resourceType);
  if (paths === undefined) {
    paths = definition.expression ? searchPaths(cc.search.model, resourceType, definition.expression, definition.type) ?? null : null;
    byType.set(resourceType, paths);
  }
  return paths;
}

/** The parameter, or undefined when the type has none by that code. */
export function findParameter(cc: CompileContext, resourceType: string, code: string): SearchParameterResource | undefined {
  return cc.search.model.searchParameters.get(resourceType, code);
}

/** The parameter with its paths; an unknown one, or one whose expression SQL cannot follow, is an error. */
export function resolveParameter(cc: CompileContext, resourceType: string, code: string, param = code): ResolvedParameter {
  const definition = findParameter(cc, resourceType, code);
  if (!definition) throw unknownParameter(param, resourceType);
  const paths = pathsOf(cc, definition, resourceType);
  if (paths === null) {
    throw searchErrors['search.unsupported-parameter']({ detail: `Search parameter "${code}" of ${resourceType} has an expression Flint cannot search (${definition.expression ?? 'none'})` }, { expression: param });
  }
  return { definition, paths };
}
