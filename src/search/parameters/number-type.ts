/**
 * Number search (http://hl7.org/fhir/R4/search.html#number): prefixes, and for eq/ne the implicit
 * range of the value's precision (100 matches [99.5, 100.5)), against every number flint_numbers
 * finds; sorted by the least or greatest value. Quantities (quantity-type.ts) compare their values
 * with the same test.
 */
import { sql, type Sql } from '../../sql/index.js';
import type { CompileContext, ValueTest } from '../compile-context.js';
import { searchErrors } from '../search-errors.js';
import { anyOf } from '../sql-logic.js';
import { KEY_FUNCTION } from './key-function-sql.js';
import { keyExpression, keyExpressionText } from './key-expressions.js';
import type { ParameterType } from './parameter-type.js';
import { parseDecimal, prefixedFilterTest, splitPrefix } from './value-prefix.js';

/** The test of a numeric SQL expression n against a prefixed search value. */
export function numberTest(n: Sql, text: string, param: string): Sql {
  const { prefix, rest } = splitPrefix(text);
  const { value, half } = parseDecimal(rest, param);
  const v = sql`${value}::numeric`;
  const inRange = sql`(${n} >= ${v} - ${half}::numeric AND ${n} < ${v} + ${half}::numeric)`;
  switch (prefix) {
    case 'eq': return inRange;
    case 'ne': return sql`NOT ${inRange}`;
    case 'gt': case 'sa': return sql`${n} > ${v}`;
    case 'lt': case 'eb': return sql`${n} < ${v}`;
    case 'ge': return sql`${n} >= ${v}`;
    case 'le': return sql`${n} <= ${v}`;
    case 'ap': return sql`(${n} >= ${v} - greatest(abs(${v}) * 0.1, ${half}::numeric) AND ${n} <= ${v} + greatest(abs(${v}) * 0.1, ${half}::numeric))`;
  }
}

/** Numbers and quantities take no modifier (:missing is the compiler's). */
export function refuseModifier(test: ValueTest): void {
  if (test.modifier) throw searchErrors['search.bad-modifier']({ detail: `${test.param.split(':')[0]} does not support :${test.modifier}` }, { expression: test.param });
}

function numberCondition(_cc: CompileContext, test: ValueTest): Sql {
  refuseModifier(test);
  const numbers = keyExpression('flint_numbers', test.document, test.parameter.paths);
  return anyOf(test.values.map((value) => sql`EXISTS (SELECT 1 FROM unnest(${numbers}) AS n WHERE ${numberTest(sql`n`, value, test.param)})`));
}

/** JSON numbers, and the numeric value of Quantities. */
const NUMBERS = `CREATE OR REPLACE FUNCTION flint_numbers(doc jsonb, paths text[]) RETURNS numeric[] ${KEY_FUNCTION} AS $$
DECLARE
  items jsonb := public.flint_path_items(doc, paths);
  numbers jsonb;
  result numeric[] := '{}';
BEGIN
  numbers := jsonb_path_query_array(items, 'lax $[*] ? (@.type() == "number")')
    || jsonb_path_query_array(items, 'lax $[*] ? (@.type() == "object").value ? (@.type() == "number")');
  FOR i IN 0 .. jsonb_array_length(numbers) - 1 LOOP
    result := result || (numbers -> i)::numeric;
  END LOOP;
  RETURN result;
END $$`;

export const numberType: ParameterType = {
  code: 'number',
  valueCondition: numberCondition,
  sortKey: (document, paths, descending) => ({
    text: `(SELECT ${descending ? 'max' : 'min'}(n) FROM unnest(${keyExpressionText('flint_numbers', document, paths)}) AS n)`,
    type: 'numeric',
  }),
  filterTest: prefixedFilterTest,
  functions: [NUMBERS],
};
