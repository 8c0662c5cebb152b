/**
 * The WHERE clause of a search on one resource type: every filter compiled (repeated parameters
 * AND, commas OR). Under lenient handling an unknown or unsupported parameter is left out and
 * reported as a warning; under strict handling (Prefer: handling=strict) it is an error
 * (http://hl7.org/fhir/R4/search.html#errors).
 */
import { FhirError, type Issue } from '../core/index.js';
import type { Sql } from '../sql/index.js';
import type { CompileContext, ResourceScope } from './compile-context.js';
import { compileFilter } from './compile-filter.js';
import { mergeDateBounds } from './parameters/date-bounds.js';
import type { SearchFilter } from './search-request.js';
import { allOf } from './sql-logic.js';

export type Handling = 'strict' | 'lenient';

const IGNORABLE = new Set(['search.unknown-parameter', 'search.unsupported-parameter']);

export interface CompiledWhere {
  where: Sql;
  ignored: Issue[];
}

export function isIgnorable(error: unknown): error is FhirError {
  return error instanceof FhirError && IGNORABLE.has(error.code);
}

export function compileWhere(cc: CompileContext, scope: ResourceScope, filters: readonly SearchFilter[], handling: Handling): CompiledWhere {
  const { merged, rest } = mergeDateBounds(cc, scope, filters);
  const conditions: Sql[] = [...merged];
  const ignored: Issue[] = [];
  for (const filter of rest) {
    try {
      conditions.push(compileFilter(cc, scope, filter));
    } catch (error) {
      if (handling === 'strict' || !isIgnorable(error)) throw error;
      ignored.push({ ...error.issues[0], severity: 'warning' });
    }
  }
  return { where: allOf(conditions), ignored };
}
