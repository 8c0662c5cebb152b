/**
 * A date parameter repeated with gt/ge and lt/le (date=ge2024-01-01&date=lt2024-02-01) becomes one
 * test: the envelope overlaps [lower, upper). It means the same as the separate tests (for ranges,
 * ending after a and starting before b is overlapping [a, b)), and PostgreSQL estimates one range
 * test far better than two it takes for independent, which keeps it on the date index.
 */
import type { Sql } from '../../sql/index.js';
import type { CompileContext, ResourceScope } from '../compile-context.js';
import { documentOf } from '../compile-context.js';
import { envelopeBound, envelopeRangeCondition } from './date-type.js';
import { findParameter, resolveParameter } from '../resolve-parameter.js';
import type { SearchFilter } from '../search-request.js';

interface Bounds {
  filters: SearchFilter[];
  lower?: string;
  upper?: string;
}

function boundOf(cc: CompileContext, scope: ResourceScope, filter: SearchFilter): { lower?: string; upper?: string } | undefined {
  if (filter.modifier || filter.chain || filter.values.length !== 1 || filter.code.startsWith('_')) return undefined;
  if (findParameter(cc, scope.resourceType, filter.code)?.type !== 'date') return undefined;
  return envelopeBound(filter.values[0], filter.param);
}

/** The merged conditions, and the filters left to compile one by one. */
export function mergeDateBounds(cc: CompileContext, scope: ResourceScope, filters: readonly SearchFilter[]): { merged: Sql[]; rest: SearchFilter[] } {
  const groups = new Map<string, Bounds>();
  const rest: SearchFilter[] = [];
  for (const filter of filters) {
    const bound = boundOf(cc, scope, filter);
    if (!bound) {
      rest.push(filter);
      continue;
    }
    const group = groups.get(filter.code) ?? { filters: [] };
    group.filters.push(filter);
    if (bound.lower && (!group.lower || bound.lower > group.lower)) group.lower = bound.lower;
    if (bound.upper && (!group.upper || bound.upper < group.upper)) group.upper = bound.upper;
    groups.set(filter.code, group);
  }
  const merged: Sql[] = [];
  for (const [code, group] of groups) {
    if (group.lower && group.upper && group.lower < group.upper) {
      const parameter = resolveParameter(cc, scope.resourceType, code, group.filters[0].param);
      merged.push(envelopeRangeCondition(documentOf(scope), parameter, group.lower, group.upper));
    } else rest.push(...group.filters);
  }
  return { merged, rest };
}
