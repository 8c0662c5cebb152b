/**
 * String search (http://hl7.org/fhir/R4/search.html#string): by default a case- and
 * accent-insensitive match of the start of any value (HumanName and Address search their parts),
 * :contains anywhere, :exact the whole value as written. The default and :contains read
 * flint_string_text, which a trigram index serves; :exact reads flint_string_exact (GIN). Sorted by
 * the normalized text; in _filter, eq and ew compare whole normalized values.
 */
import { sql, type Sql } from '../../sql/index.js';
import type { CompileContext, ResourceScope, ValueTest } from '../compile-context.js';
import { documentOf } from '../compile-context.js';
import { resolveParameter } from '../resolve-parameter.js';
import { searchErrors } from '../search-errors.js';
import { unescapeValue } from '../search-request.js';
import { allOf, anyOf, not } from '../sql-logic.js';
import { KEY_FUNCTION } from './key-function-sql.js';
import { keyExpression, keyExpressionText } from './key-expressions.js';
import type { FilterOperand, ParameterType } from './parameter-type.js';

/** The separator flint_string_text puts before every value. */
export const VALUE_SEPARATOR = '\u001f';

/** Normalizes like flint_norm (lower case, no accents) and escapes LIKE's wildcards. */
export function normalizedLikeText(value: string): string {
  return value.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** A LIKE pattern matching values that start with the given text. */
export function stringPrefixPattern(value: string): string {
  return `%${VALUE_SEPARATOR}${normalizedLikeText(value)}%`;
}

function likeCondition(test: ValueTest, pattern: (value: string) => string): Sql {
  const text = keyExpression('flint_string_text', test.document, test.parameter.paths);
  return anyOf(test.values.map((value) => sql`${text} LIKE flint_norm(${pattern(unescapeValue(value))})`));
}

function stringCondition(_cc: CompileContext, test: ValueTest): Sql {
  switch (test.modifier) {
    case undefined: return likeCondition(test, stringPrefixPattern);
    case 'contains': return likeCondition(test, (value) => `%${normalizedLikeText(value)}%`);
    case 'exact': {
      const values = keyExpression('flint_string_exact', test.document, test.parameter.paths);
      return sql`${values} && ${test.values.map(unescapeValue)}::text[]`;
    }
    default: throw searchErrors['search.bad-modifier']({ detail: `String parameter ${test.param.split(':')[0]} does not support :${test.modifier}` }, { expression: test.param });
  }
}

/** _filter's eq and ew compare whole (normalized) values, which the other modifiers cannot say. */
function stringWhole(cc: CompileContext, scope: ResourceScope, code: string, operator: 'eq' | 'ew', value: string): Sql {
  const parameter = resolveParameter(cc, scope.resourceType, code, '_filter');
  const values = keyExpression('flint_string_exact', documentOf(scope), parameter.paths);
  const test = operator === 'eq' ? sql`flint_norm(v) = flint_norm(${value})` : sql`flint_norm(v) LIKE '%' || flint_norm(${value.replace(/[\\%_]/g, (c) => `\\${c}`)})`;
  return sql`EXISTS (SELECT 1 FROM unnest(${values}) AS v WHERE ${test})`;
}

/** co and sw as :contains and the default; on the parameter itself (no chain) eq, ew and ne on whole values. */
function stringFilterTest(operand: FilterOperand): Sql | undefined {
  const { cc, scope, operator, value, direct } = operand;
  if (operator === 'co') return operand.run('contains');
  if (operator === 'sw') return operand.run(undefined);
  if (direct === undefined) return undefined;
  if (operator === 'eq' || operator === 'ew') return stringWhole(cc, scope, direct, operator, value);
  // ne holds for a value that differs: a resource without a value does not match.
  if (operator === 'ne') return allOf([operand.run('missing', 'false'), not(stringWhole(cc, scope, direct, 'eq', value))]);
  return undefined;
}

const PARTS = ['family', 'given', 'prefix', 'suffix', 'line', 'city', 'district', 'state', 'postalCode', 'country'];
/** A HumanName or Address: it has a part other than text, or nothing but text, use, type, period (and id, extension). */
const NAME_OR_ADDRESS = [
  ...PARTS.map((key) => `exists(@.${key})`),
  `!exists(@.keyvalue() ? (${['text', 'use', 'type', 'period', 'id', 'extension'].map((key) => `@.key != "${key}"`).join(' && ')}))`,
].join(' || ');
const PART_KEY = [...PARTS, 'text'].map((key) => `@.key == "${key}"`).join(' || ');

/** The strings themselves, and the parts of each HumanName and Address; other objects give nothing. */
const STRING_EXACT = `CREATE OR REPLACE FUNCTION flint_string_exact(doc jsonb, paths text[]) RETURNS text[] ${KEY_FUNCTION} AS $$
DECLARE
  items jsonb := public.flint_path_items(doc, paths);
  strings jsonb;
  result text[] := '{}';
BEGIN
  strings := jsonb_path_query_array(items, 'lax $[*] ? (@.type() == "string")')
    || jsonb_path_query_array(items,
      'lax $[*] ? (@.type() == "object") ? (${NAME_OR_ADDRESS}).keyvalue() ? (${PART_KEY}).value[*] ? (@.type() == "string")');
  FOR i IN 0 .. jsonb_array_length(strings) - 1 LOOP
    result := result || (strings ->> i);
  END LOOP;
  RETURN result;
END $$`;

/** chr(31) before each normalized string: LIKE '%' || chr(31) || 'smi%' is a prefix search, served by a trigram index. */
const STRING_TEXT = `CREATE OR REPLACE FUNCTION flint_string_text(doc jsonb, paths text[]) RETURNS text ${KEY_FUNCTION} AS $$
DECLARE
  strings text[] := public.flint_string_exact(doc, paths);
BEGIN
  IF cardinality(strings) = 0 THEN RETURN NULL; END IF;
  RETURN public.flint_norm(chr(31) || array_to_string(strings, chr(31)));
END $$`;

export const stringType: ParameterType = {
  code: 'string',
  valueCondition: stringCondition,
  sortKey: (document, paths) => ({ text: keyExpressionText('flint_string_text', document, paths), type: 'text' }),
  index: { fn: 'flint_string_text', method: 'gin', opclass: 'gin_trgm_ops' },
  filterTest: stringFilterTest,
  functions: [STRING_EXACT, STRING_TEXT],
};
