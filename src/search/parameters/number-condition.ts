/**
 * Number and quantity search (http://hl7.org/fhir/R4/search.html#number, #quantity): prefixes, and
 * for eq/ne the implicit range of the value's precision (100 matches [99.5, 100.5)); quantities as
 * value|system|code, where value||code matches the code or the unit.
 */
import { invalid } from '../../core/index.js';
import { sql, type Sql } from '../../sql/index.js';
import type { ValueTest } from '../compile-context.js';
import { keyExpression } from './key-expressions.js';
import { splitEscaped, unescapeValue } from '../search-request.js';
import { allOf, anyOf } from '../sql-logic.js';
import { parseDecimal, splitPrefix } from './value-prefix.js';

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

function noModifier(test: ValueTest): void {
  if (test.modifier) throw invalid('search.bad-modifier', `${test.param.split(':')[0]} does not support :${test.modifier}`, { expression: test.param });
}

export function numberCondition(test: ValueTest): Sql {
  noModifier(test);
  const numbers = keyExpression('flint_numbers', test.document, test.parameter.paths);
  return anyOf(test.values.map((value) => sql`EXISTS (SELECT 1 FROM unnest(${numbers}) AS n WHERE ${numberTest(sql`n`, value, test.param)})`));
}

function quantityTest(text: string, param: string): Sql {
  const [number, system, code] = splitEscaped(text, '|').map(unescapeValue);
  const tests = [numberTest(sql`(q->>'value')::numeric`, number, param)];
  if (system) tests.push(sql`q->>'system' = ${system}`);
  if (code && system) tests.push(sql`q->>'code' = ${code}`);
  else if (code) tests.push(sql`(q->>'code' = ${code} OR q->>'unit' = ${code})`);
  return allOf(tests);
}

export function quantityCondition(test: ValueTest): Sql {
  noModifier(test);
  const quantities = keyExpression('flint_quantities', test.document, test.parameter.paths);
  return anyOf(test.values.map((value) => sql`EXISTS (SELECT 1 FROM jsonb_array_elements(${quantities}) AS q WHERE ${quantityTest(value, test.param)})`));
}
