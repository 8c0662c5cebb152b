/**
 * Sorting by date within one referenced resource, newest first: the latest readings of a patient
 * (Observation?subject=Patient/1&code=...&_sort=-date&_count=1). The reference condition is a GIN
 * lookup that yields every match unordered, so the sort key would be computed for each of them.
 * For a parameter that holds at most one reference, a search for one target adds the condition
 * flint_reference_id(...) = id, which every match meets (it only restates the reference test);
 * a btree index on that id and the descending date sort key (search-indexes.ts) then walks the
 * target's resources newest first and stops at the page's end. Results are the same with or
 * without the index.
 */
import { FhirError } from '../../core/index.js';
import { sql, type Sql } from '../../sql/index.js';
import type { CompileContext, ResourceScope } from '../compile-context.js';
import { documentOf } from '../compile-context.js';
import { keyExpression } from '../parameters/key-expressions.js';
import type { SearchPath } from '../parameter-paths.js';
import { referenceKeys } from '../parameters/reference-type.js';
import { findParameter, resolveParameter } from '../resolve-parameter.js';
import type { SearchFilter, SortKey } from '../search-request.js';

/** Paths that select at most one reference per resource: one path that passes no repeating element. */
export function holdsOneReference(paths: readonly SearchPath[]): boolean {
  return new Set(paths.map((path) => path.path)).size === 1 && !paths.some((path) => path.repeats);
}

/** The id a reference key points to, as flint_reference_id computes it (without |version and /_history/n). */
export function referencedId(key: string): string {
  const reference = key.split('|')[0];
  const history = reference.indexOf('/_history/');
  const base = history >= 0 ? reference.slice(0, history) : reference;
  return base.slice(base.lastIndexOf('/') + 1);
}

/** The condition on the target's id a reference filter implies, when it names one target. */
function impliedIdCondition(cc: CompileContext, scope: ResourceScope, filter: SearchFilter): Sql | undefined {
  if (filter.chain || filter.code.startsWith('_')) return undefined;
  if (filter.modifier && !cc.search.model.isResourceType(filter.modifier)) return undefined;
  if (findParameter(cc, scope.resourceType, filter.code)?.type !== 'reference') return undefined;
  const parameter = resolveParameter(cc, scope.resourceType, filter.code, filter.param);
  if (!holdsOneReference(parameter.paths)) return undefined;
  const keys = filter.values.flatMap((value) => referenceKeys(cc, parameter, value, filter.modifier));
  // A key with | (a canonical) could match a row through its part before the |: not narrowed.
  if (keys.length === 0 || keys.some((key) => key.includes('|'))) return undefined;
  const ids = new Set(keys.map(referencedId));
  if (ids.size !== 1) return undefined;
  return sql`${keyExpression('flint_reference_id', documentOf(scope), parameter.paths)} = ${[...ids][0]}`;
}

/**
 * The id condition for a search sorted first by a date parameter descending and filtered on one
 * target of a single-reference parameter; undefined for any other search. Filters that cannot be
 * compiled are left to the WHERE clause to report.
 */
export function referenceDateCondition(cc: CompileContext, scope: ResourceScope, filters: readonly SearchFilter[], sort: readonly SortKey[]): Sql | undefined {
  const first = sort[0];
  if (!first?.descending || first.code.startsWith('_')) return undefined;
  if (findParameter(cc, scope.resourceType, first.code)?.type !== 'date') return undefined;
  for (const filter of filters) {
    try {
      const condition = impliedIdCondition(cc, scope, filter);
      if (condition) return condition;
    } catch (error) {
      if (!(error instanceof FhirError)) throw error;
    }
  }
  return undefined;
}
