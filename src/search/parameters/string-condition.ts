/**
 * String search (http://hl7.org/fhir/R4/search.html#string): by default a case- and
 * accent-insensitive match of the start of any value (HumanName and Address search their parts),
 * :contains anywhere, :exact the whole value as written. The default and :contains read
 * flint_string_text, which a trigram index serves; :exact reads flint_string_exact (GIN).
 */
import { invalid } from '../../core/index.js';
import { sql, type Sql } from '../../sql/index.js';
import type { ValueTest } from '../compile-context.js';
import { keyExpression } from './key-expressions.js';
import { unescapeValue } from '../search-request.js';
import { anyOf } from '../sql-logic.js';

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

export function stringCondition(test: ValueTest): Sql {
  switch (test.modifier) {
    case undefined: return likeCondition(test, stringPrefixPattern);
    case 'contains': return likeCondition(test, (value) => `%${normalizedLikeText(value)}%`);
    case 'exact': {
      const values = keyExpression('flint_string_exact', test.document, test.parameter.paths);
      return sql`${values} && ${test.values.map(unescapeValue)}::text[]`;
    }
    default: throw invalid('search.bad-modifier', `String parameter ${test.param.split(':')[0]} does not support :${test.modifier}`, { expression: test.param });
  }
}
