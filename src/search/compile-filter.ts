/**
 * Compiles one search filter (a parameter with its OR-ed values) into a SQL condition on a table
 * alias: the common parameters, chains and _has, :missing, and one compiler per parameter type.
 */
import { invalid } from '../core/index.js';
import type { Sql } from '../sql/index.js';
import { chainCondition, hasCondition } from './special/chain-condition.js';
import type { CompileContext, ResourceScope, ValueTest } from './compile-context.js';
import { documentOf } from './compile-context.js';
import { compositeCondition } from './parameters/composite-condition.js';
import { dateCondition } from './parameters/date-condition.js';
import { filterCondition } from './special/filter-condition.js';
import { missingCondition } from './parameters/missing-condition.js';
import { numberCondition, quantityCondition } from './parameters/number-condition.js';
import { referenceCondition } from './parameters/reference-condition.js';
import { resolveParameter } from './resolve-parameter.js';
import type { SearchFilter } from './search-request.js';
import { fullTextCondition, idCondition, lastUpdatedCondition, listCondition } from './special/special-conditions.js';
import { stringCondition } from './parameters/string-condition.js';
import { tokenCondition } from './parameters/token-condition.js';
import { uriCondition } from './parameters/uri-condition.js';

/** One value test by parameter type (also used for the components of composites). */
export function compileValueTest(cc: CompileContext, test: ValueTest): Sql {
  if (test.modifier === 'missing') return missingCondition(test);
  switch (test.parameter.definition.type) {
    case 'string': return stringCondition(test);
    case 'token': return tokenCondition(test);
    case 'reference': return referenceCondition(cc, test);
    case 'date': return dateCondition(test);
    case 'number': return numberCondition(test);
    case 'quantity': return quantityCondition(test);
    case 'uri': return uriCondition(test);
    default:
      throw invalid('search.unsupported-parameter', `Search parameter ${test.param} of type ${test.parameter.definition.type} cannot be used here`, { expression: test.param });
  }
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
  const test: ValueTest = { document: documentOf(scope), parameter, param: filter.param, modifier: filter.modifier, values: filter.values };
  if (parameter.definition.type === 'composite') return compositeCondition(cc, scope.resourceType, test, compileValueTest);
  return compileValueTest(cc, test);
}
