/**
 * Compiles one search filter (a parameter with its OR-ed values) into a SQL condition on a table
 * alias: the common parameters, chains and _has, :missing, and otherwise the condition of the
 * parameter's type, found in the registry (parameters/parameter-types.ts).
 */
import type { Sql } from '../sql/index.js';
import type { CompileContext, ResourceScope, ValueTest } from './compile-context.js';
import { documentOf } from './compile-context.js';
import { missingCondition } from './parameters/missing-condition.js';
import { parameterTypeOf } from './parameters/parameter-types.js';
import { resolveParameter } from './resolve-parameter.js';
import { searchErrors } from './search-errors.js';
import type { SearchFilter } from './search-request.js';
import { chainCondition, hasCondition } from './special/chain-condition.js';
import { filterCondition } from './special/filter-condition.js';
import { fullTextCondition, idCondition, lastUpdatedCondition, listCondition } from './special/special-conditions.js';

/** One value test by parameter type (also used for the components of composites). */
export function compileValueTest(cc: CompileContext, test: ValueTest): Sql {
  if (test.modifier === 'missing') return missingCondition(test);
  const type = parameterTypeOf(test.parameter.definition.type);
  if (!type?.valueCondition) {
    throw searchErrors['search.unsupported-parameter']({ detail: `Search parameter ${test.param} of type ${test.parameter.definition.type} cannot be used here` }, { expression: test.param });
  }
  return type.valueCondition(cc, test);
}

function specialCondition(cc: CompileContext, scope: ResourceScope, filter: SearchFilter): Sql | undefined {
  switch (filter.code) {
    case '_id': return idCondition(scope, filter);
    case '_lastUpdated': return lastUpdatedCondition(scope, filter);
    case '_text': case '_content': return fullTextCondition(scope, { ...filter, code: filter.code });
    case '_list': return listCondition(cc, scope, filter);
    case '_has': return hasCondition(cc, scope, filter, compileFilter);
    case '_filter': return filterCondition(cc, scope, filter, compileFilter);
    default: return undefined;
  }
}

export function compileFilter(cc: CompileContext, scope: ResourceScope, filter: SearchFilter): Sql {
  if (filter.chain) return chainCondition(cc, scope, filter, compileFilter);
  const special = specialCondition(cc, scope, filter);
  if (special) return special;
  const parameter = resolveParameter(cc, scope.resourceType, filter.code, filter.param);
  const test: ValueTest = {
    resourceType: scope.resourceType, document: documentOf(scope), parameter, param: filter.param, modifier: filter.modifier, values: filter.values,
  };
  const type = parameterTypeOf(parameter.definition.type);
  if (type?.filterCondition) return type.filterCondition(cc, test, compileValueTest);
  return compileValueTest(cc, test);
}
