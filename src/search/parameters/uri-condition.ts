/**
 * URI search (http://hl7.org/fhir/R4/search.html#uri): the whole value, :below (the stored value
 * starts with the search value) and :above (the search value starts with the stored one).
 */
import { invalid } from '../../core/index.js';
import { sql, type Sql } from '../../sql/index.js';
import type { ValueTest } from '../compile-context.js';
import { keyExpression } from './key-expressions.js';
import { unescapeValue } from '../search-request.js';
import { anyOf } from '../sql-logic.js';

export function uriCondition(test: ValueTest): Sql {
  const values = keyExpression('flint_string_exact', test.document, test.parameter.paths);
  const searched = test.values.map(unescapeValue);
  switch (test.modifier) {
    case undefined: return sql`${values} && ${searched}::text[]`;
    case 'below': return anyOf(searched.map((value) => sql`EXISTS (SELECT 1 FROM unnest(${values}) AS u WHERE starts_with(u, ${value}))`));
    case 'above': return anyOf(searched.map((value) => sql`EXISTS (SELECT 1 FROM unnest(${values}) AS u WHERE starts_with(${value}, u))`));
    default: throw invalid('search.bad-modifier', `URI parameter ${test.param.split(':')[0]} does not support :${test.modifier}`, { expression: test.param });
  }
}
