/**
 * Token search (http://hl7.org/fhir/R4/search.html#token): code, system|code, |code and system|
 * against Coding, CodeableConcept, Identifier, ContactPoint, code, boolean and string values, with
 * :not, :text and :of-type. Keys come from flint_token_keys, so the GIN index answers `&&`; sorted
 * by the least code.
 */
import { jsonParam, raw, sql, type Sql } from '../../sql/index.js';
import type { CompileContext, ValueTest } from '../compile-context.js';
import { searchErrors } from '../search-errors.js';
import { splitEscaped, unescapeValue } from '../search-request.js';
import { anyOf, not } from '../sql-logic.js';
import { KEY_FUNCTION, MANY_KEYS, UNIQUE_KEYS } from './key-function-sql.js';
import { keyExpression, keyExpressionText } from './key-expressions.js';
import type { ParameterType } from './parameter-type.js';
import { stringPrefixPattern } from './string-type.js';

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
    if (parts.length !== 3) throw searchErrors['search.bad-token']({ value }, { expression: test.param });
    const [system, code, identifier] = parts;
    const tests = test.parameter.paths.map((path) => sql`jsonb_path_exists(${raw(test.document)}, ${`${path.path} ? (@."type"."coding"."system" == $s && @."type"."coding"."code" == $c && @."value" == $v)`}::jsonpath, ${jsonParam({ s: system, c: code, v: identifier })}::jsonb)`);
    return anyOf(tests);
  }));
}

function tokenCondition(_cc: CompileContext, test: ValueTest): Sql {
  switch (test.modifier) {
    case undefined: return tokenKeysCondition(test.document, test, test.values.map(tokenKey));
    case 'not': return not(tokenKeysCondition(test.document, test, test.values.map(tokenKey)));
    case 'text': return textCondition(test);
    case 'of-type': return ofTypeCondition(test);
    default: throw searchErrors['search.bad-modifier']({ detail: `Token parameter ${test.param.split(':')[0]} does not support :${test.modifier}` }, { expression: test.param });
  }
}

/** code, |code or system|code and system| of strings, booleans, numbers, Codings (also in CodeableConcepts), Identifiers, ContactPoints. */
const TOKEN_KEYS = `CREATE OR REPLACE FUNCTION flint_token_keys(doc jsonb, paths text[]) RETURNS text[] ${KEY_FUNCTION} AS $$
DECLARE
  items jsonb := public.flint_path_items(doc, paths);
  item jsonb;
  tokens jsonb;
  token jsonb;
  system text;
  code text;
  keys text[] := '{}';
BEGIN
  FOR i IN 0 .. jsonb_array_length(items) - 1 LOOP
    item := items -> i;
    IF jsonb_typeof(item) = 'object' THEN
      tokens := CASE WHEN jsonb_typeof(item -> 'coding') = 'array' THEN item -> 'coding' ELSE jsonb_build_array(item) END;
      FOR j IN 0 .. jsonb_array_length(tokens) - 1 LOOP
        token := tokens -> j;
        code := coalesce(token ->> 'code', token ->> 'value');
        CONTINUE WHEN code IS NULL;
        system := token ->> 'system';
        IF cardinality(keys) >= ${MANY_KEYS} OR code <> ALL(keys) THEN keys := keys || code; END IF;
        IF system IS NULL THEN
          IF cardinality(keys) >= ${MANY_KEYS} OR '|' || code <> ALL(keys) THEN keys := keys || ('|' || code); END IF;
        ELSE
          IF cardinality(keys) >= ${MANY_KEYS} OR system || '|' || code <> ALL(keys) THEN keys := keys || (system || '|' || code); END IF;
          IF cardinality(keys) >= ${MANY_KEYS} OR system || '|' <> ALL(keys) THEN keys := keys || (system || '|'); END IF;
        END IF;
      END LOOP;
    ELSIF jsonb_typeof(item) IN ('string', 'boolean', 'number') THEN
      code := item #>> '{}';
      IF cardinality(keys) >= ${MANY_KEYS} OR code <> ALL(keys) THEN keys := keys || code; END IF;
      IF cardinality(keys) >= ${MANY_KEYS} OR '|' || code <> ALL(keys) THEN keys := keys || ('|' || code); END IF;
    END IF;
  END LOOP;
  ${UNIQUE_KEYS}
  RETURN keys;
END $$`;

/** For :text: CodeableConcept.text, Coding.display and Identifier.type.text, normalized, each after chr(31). */
const TOKEN_TEXT = `CREATE OR REPLACE FUNCTION flint_token_text(doc jsonb, paths text[]) RETURNS text ${KEY_FUNCTION} AS $$
DECLARE
  items jsonb := public.flint_path_items(doc, paths);
  labels jsonb;
  text_parts text[] := '{}';
BEGIN
  labels := jsonb_path_query_array(items, 'lax $[*].text ? (@.type() == "string")')
    || jsonb_path_query_array(items, 'lax $[*].display ? (@.type() == "string")')
    || jsonb_path_query_array(items, 'lax $[*].coding.display ? (@.type() == "string")')
    || jsonb_path_query_array(items, 'lax $[*].type.text ? (@.type() == "string")');
  IF jsonb_array_length(labels) = 0 THEN RETURN NULL; END IF;
  FOR i IN 0 .. jsonb_array_length(labels) - 1 LOOP
    text_parts := text_parts || (labels ->> i);
  END LOOP;
  RETURN public.flint_norm(chr(31) || array_to_string(text_parts, chr(31)));
END $$`;

export const tokenType: ParameterType = {
  code: 'token',
  valueCondition: tokenCondition,
  sortKey: (document, paths, descending) => ({
    text: `(SELECT ${descending ? 'max' : 'min'}(k) FROM unnest(${keyExpressionText('flint_token_keys', document, paths)}) AS k WHERE strpos(k, '|') = 0)`,
    type: 'text',
  }),
  index: { fn: 'flint_token_keys', method: 'gin' },
  functions: [TOKEN_KEYS, TOKEN_TEXT],
};
