/**
 * Quantity search (http://hl7.org/fhir/R4/search.html#quantity): value|system|code with the number
 * prefixes and precision (number-type.ts), where value||code matches the code or the unit, against
 * every Quantity, Age, Duration and Money flint_quantities finds; sorted by the least or greatest
 * value.
 */
import { sql, type Sql } from '../../sql/index.js';
import type { CompileContext, ValueTest } from '../compile-context.js';
import { splitEscaped, unescapeValue } from '../search-request.js';
import { allOf, anyOf } from '../sql-logic.js';
import { KEY_FUNCTION } from './key-function-sql.js';
import { keyExpression, keyExpressionText } from './key-expressions.js';
import { numberTest, refuseModifier } from './number-type.js';
import type { ParameterType } from './parameter-type.js';
import { prefixedFilterTest } from './value-prefix.js';

function quantityTest(text: string, param: string): Sql {
  const [number, system, code] = splitEscaped(text, '|').map(unescapeValue);
  const tests = [numberTest(sql`(q->>'value')::numeric`, number, param)];
  if (system) tests.push(sql`q->>'system' = ${system}`);
  if (code && system) tests.push(sql`q->>'code' = ${code}`);
  else if (code) tests.push(sql`(q->>'code' = ${code} OR q->>'unit' = ${code})`);
  return allOf(tests);
}

function quantityCondition(_cc: CompileContext, test: ValueTest): Sql {
  refuseModifier(test);
  const quantities = keyExpression('flint_quantities', test.document, test.parameter.paths);
  return anyOf(test.values.map((value) => sql`EXISTS (SELECT 1 FROM jsonb_array_elements(${quantities}) AS q WHERE ${quantityTest(value, test.param)})`));
}

/** [{value, system, code, unit}] of every Quantity, Age, Duration, Money (currency as code) along the paths. */
const QUANTITIES = `CREATE OR REPLACE FUNCTION flint_quantities(doc jsonb, paths text[]) RETURNS jsonb ${KEY_FUNCTION} AS $$
DECLARE
  quantities jsonb := jsonb_path_query_array(public.flint_path_items(doc, paths), 'lax $[*] ? (@.value.type() == "number")');
  quantity jsonb;
  result jsonb[] := '{}';
BEGIN
  FOR i IN 0 .. jsonb_array_length(quantities) - 1 LOOP
    quantity := quantities -> i;
    -- appended to a jsonb[] (in place), not to a jsonb array (copied whole on every append)
    result := array_append(result, jsonb_build_object('value', quantity -> 'value', 'system', quantity ->> 'system',
      'code', coalesce(quantity ->> 'code', quantity ->> 'currency'), 'unit', quantity ->> 'unit'));
  END LOOP;
  RETURN to_jsonb(result);
END $$`;

export const quantityType: ParameterType = {
  code: 'quantity',
  valueCondition: quantityCondition,
  sortKey: (document, paths, descending) => ({
    text: `(SELECT ${descending ? 'max' : 'min'}((q->>'value')::numeric) FROM jsonb_array_elements(${keyExpressionText('flint_quantities', document, paths)}) AS q)`,
    type: 'numeric',
  }),
  filterTest: prefixedFilterTest,
  functions: [QUANTITIES],
};
