/**
 * Token search (http://hl7.org/fhir/R4/search.html#token): code, system|code, |code and system|
 * against Coding, CodeableConcept, Identifier, ContactPoint, code, boolean and string values, with
 * :not, :text and :of-type. Keys come from flint_token_keys, so the GIN index answers `&&`.
 */
import { invalid } from '../../core/index.js';
import { jsonParam, raw, sql, type Sql } from '../../sql/index.js';
import type { ValueTest } from '../compile-context.js';
import { keyExpression } from './key-expressions.js';
import { stringPrefixPattern } from './string-condition.js';
import { splitEscaped, unescapeValue } from '../search-request.js';
import { anyOf, not } from '../sql-logic.js';

/** The key a token value looks up: code, system|code, |code or system|. */
export function tokenKey(value: string): string {
  const parts = splitEscaped(value, '|');
  if (parts.length === 1) return unescapeValue(parts[0]);
  return `${unescapeValue(parts[0])}|${unescapeValue(parts.slice(1).join('|'))}`;
}

export function tokenKeysCondition(document: string, test: Pick<ValueTest, 'parameter'>, keys: string[]): Sql {
  return sql`${keyExpression('flint_token_keys', document, test.parameter.paths)} && ${keys}::text[]`;
}

function textCondition(test: ValueTest): Sql {
  const text = keyExpression('flint_token_text', test.document, test.parameter.paths);
  return anyOf(test.values.map((value) => sql`${text} LIKE ${stringPrefixPattern(unescapeValue(value))}`));
}

/** :of-type: type-system|type-code|value on Identifier (http://hl7.org/fhir/R4/search.html#token). */
function ofTypeCondition(test: ValueTest): Sql {
  return anyOf(test.values.map((value) => {
    const parts = splitEscaped(value, '|').map(unescapeValue);
    if (parts.length !== 3) {
      throw invalid('search.bad-token', `:of-type takes type-system|type-code|value, not "${value}"`, { expression: test.param });
    }
    const [system, code, identifier] = parts;
    const tests = test.parameter.paths.map((path) => sql`jsonb_path_exists(${raw(test.document)}, ${`${path.path} ? (@."type"."coding"."system" == $s && @."type"."coding"."code" == $c && @."value" == $v)`}::jsonpath, ${jsonParam({ s: system, c: code, v: identifier })}::jsonb)`);
    return anyOf(tests);
  }));
}

export function tokenCondition(test: ValueTest): Sql {
  switch (test.modifier) {
    case undefined: return tokenKeysCondition(test.document, test, test.values.map(tokenKey));
    case 'not': return not(tokenKeysCondition(test.document, test, test.values.map(tokenKey)));
    case 'text': return textCondition(test);
    case 'of-type': return ofTypeCondition(test);
    default: throw invalid('search.bad-modifier', `Token parameter ${test.param.split(':')[0]} does not support :${test.modifier}`, { expression: test.param });
  }
}
