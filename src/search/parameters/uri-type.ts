/**
 * URI search (http://hl7.org/fhir/R4/search.html#uri): the whole value, :below (the stored value
 * starts with the search value) and :above (the search value starts with the stored one), over
 * flint_string_exact (string-type.ts), whose GIN index answers the whole value; sorted by the least
 * value. In _filter, sw and sb are :below.
 */
import { sql, type Sql } from '../../sql/index.js';
import type { CompileContext, ValueTest } from '../compile-context.js';
import { searchErrors } from '../search-errors.js';
import { unescapeValue } from '../search-request.js';
import { anyOf } from '../sql-logic.js';
import { keyExpression, keyExpressionText } from './key-expressions.js';
import type { ParameterType } from './parameter-type.js';

function uriCondition(_cc: CompileContext, test: ValueTest): Sql {
  const values = keyExpression('flint_string_exact', test.document, test.parameter.paths);
  const searched = test.values.map(unescapeValue);
  switch (test.modifier) {
    case undefined: return sql`${values} && ${searched}::text[]`;
    case 'below': return anyOf(searched.map((value) => sql`EXISTS (SELECT 1 FROM unnest(${values}) AS u WHERE starts_with(u, ${value}))`));
    case 'above': return anyOf(searched.map((value) => sql`EXISTS (SELECT 1 FROM unnest(${values}) AS u WHERE starts_with(${value}, u))`));
    default: throw searchErrors['search.bad-modifier']({ detail: `URI parameter ${test.param.split(':')[0]} does not support :${test.modifier}` }, { expression: test.param });
  }
}

export const uriType: ParameterType = {
  code: 'uri',
  valueCondition: uriCondition,
  sortKey: (document, paths, descending) => ({
    text: `(SELECT ${descending ? 'max' : 'min'}(u) FROM unnest(${keyExpressionText('flint_string_exact', document, paths)}) AS u)`,
    type: 'text',
  }),
  index: { fn: 'flint_string_exact', method: 'gin' },
  filterTest: (operand) => (operand.operator === 'sw' || operand.operator === 'sb' ? operand.run('below') : undefined),
  functions: [],
};
