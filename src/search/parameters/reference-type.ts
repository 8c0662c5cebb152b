/**
 * Reference search (http://hl7.org/fhir/R4/search.html#reference): Type/id, a bare id (any of the
 * parameter's target types), an absolute URL (the server's own base is read as a local reference),
 * a canonical url[|version], the :Type modifier, :identifier. Keys come from flint_reference_keys,
 * so the GIN index answers `&&`; sorted by the least key. flint_reference_id serves the
 * reference-and-date index (indexes/reference-date-order.ts).
 */
import { isValidId, parseReference } from '../../core/index.js';
import { raw, sql, type Sql } from '../../sql/index.js';
import type { CompileContext, ResolvedParameter, ValueTest } from '../compile-context.js';
import { searchErrors } from '../search-errors.js';
import { unescapeValue } from '../search-request.js';
import { KEY_FUNCTION, MANY_KEYS, UNIQUE_KEYS } from './key-function-sql.js';
import { keyExpression, keyExpressionText } from './key-expressions.js';
import type { ParameterType } from './parameter-type.js';
import { tokenKey, tokenKeysCondition } from './token-type.js';

/** The types a parameter's references may point to (its targets, narrowed by where(resolve() is X)). */
export function referenceTargets(cc: CompileContext, parameter: ResolvedParameter): string[] {
  const declared = parameter.definition.target ?? [];
  const narrowed = parameter.paths.flatMap((path) => path.targets ?? []);
  const targets = narrowed.length > 0 ? narrowed.filter((type) => declared.length === 0 || declared.includes(type)) : declared;
  if (targets.length > 0 && !targets.includes('Resource')) return [...new Set(targets)];
  return cc.search.model.resourceTypes();
}

/** The keys one query value looks up; an empty list matches nothing. */
export function referenceKeys(cc: CompileContext, parameter: ResolvedParameter, value: string, typeModifier?: string): string[] {
  let reference = unescapeValue(value);
  const base = `${cc.baseUrl}/`;
  if (reference.startsWith(base)) reference = reference.slice(base.length);
  const targets = referenceTargets(cc, parameter);
  const parsed = parseReference(reference);
  if (parsed?.kind === 'relative') {
    const type = parsed.resourceType as string;
    const id = parsed.id as string;
    if (typeModifier && typeModifier !== type) return [];
    // A local reference is stored relative, or absolute with this server's base.
    return targets.includes(type) ? [`${type}/${id}`, `${base}${type}/${id}`] : [];
  }
  if (isValidId(reference)) {
    const types = typeModifier ? [typeModifier].filter((type) => targets.includes(type)) : targets;
    return types.flatMap((type) => [`${type}/${reference}`, `${base}${type}/${reference}`]);
  }
  return [reference];
}

export function referenceKeysCondition(document: string, parameter: ResolvedParameter, keys: string[] | Sql): Sql {
  return sql`${keyExpression('flint_reference_keys', document, parameter.paths)} && ${keys}::text[]`;
}

function identifierCondition(test: ValueTest): Sql {
  const paths = test.parameter.paths.map((path) => ({ ...path, path: `${path.path}."identifier"`, type: 'Identifier' }));
  return tokenKeysCondition(test.document, { parameter: { ...test.parameter, paths } }, test.values.map(tokenKey));
}

function referenceCondition(cc: CompileContext, test: ValueTest): Sql {
  if (test.modifier === 'identifier') return identifierCondition(test);
  if (test.modifier && !cc.search.model.isResourceType(test.modifier)) {
    throw searchErrors['search.bad-modifier']({ detail: `Reference parameter ${test.param.split(':')[0]} does not support :${test.modifier}` }, { expression: test.param });
  }
  const keys = test.values.flatMap((value) => referenceKeys(cc, test.parameter, value, test.modifier));
  if (keys.length === 0) return raw('FALSE');
  return referenceKeysCondition(test.document, test.parameter, keys);
}

/**
 * Reference.reference as written and, for a relative reference with _history, its Type/id; an
 * absolute URL (another server's resource) only as written. A canonical string as written and
 * without its |version.
 */
const REFERENCE_KEYS = `CREATE OR REPLACE FUNCTION flint_reference_keys(doc jsonb, paths text[]) RETURNS text[] ${KEY_FUNCTION} AS $$
DECLARE
  items jsonb := public.flint_path_items(doc, paths);
  item jsonb;
  reference text;
  base text;
  local_key text;
  keys text[] := '{}';
BEGIN
  FOR i IN 0 .. jsonb_array_length(items) - 1 LOOP
    item := items -> i;
    IF jsonb_typeof(item) = 'string' THEN
      reference := item #>> '{}';
      IF cardinality(keys) >= ${MANY_KEYS} OR reference <> ALL(keys) THEN keys := keys || reference; END IF;
      IF strpos(reference, '|') > 0 AND (cardinality(keys) >= ${MANY_KEYS} OR split_part(reference, '|', 1) <> ALL(keys)) THEN
        keys := keys || split_part(reference, '|', 1);
      END IF;
    ELSIF jsonb_typeof(item -> 'reference') = 'string' THEN
      reference := item ->> 'reference';
      IF cardinality(keys) >= ${MANY_KEYS} OR reference <> ALL(keys) THEN keys := keys || reference; END IF;
      -- Type/id of a local reference with a version; an absolute URL (another server) keeps only itself.
      CONTINUE WHEN reference NOT LIKE '%/%/%' OR strpos(reference, '://') > 0;
      base := CASE WHEN strpos(reference, '/_history/') > 0 THEN left(reference, strpos(reference, '/_history/') - 1) ELSE reference END;
      local_key := split_part(base, '/', -2) || '/' || split_part(base, '/', -1);
      IF local_key ~ '^[A-Za-z]+/[-.A-Za-z0-9]+$' AND length(split_part(base, '/', -1)) <= 64
        AND (cardinality(keys) >= ${MANY_KEYS} OR local_key <> ALL(keys)) THEN
        keys := keys || local_key;
      END IF;
    END IF;
  END LOOP;
  ${UNIQUE_KEYS}
  RETURN keys;
END $$`;

/**
 * The id the last reference key points to: the key's last path segment, without a |version or
 * /_history/n ('Patient/1', 'http://s/fhir/Patient/1' and 'Patient/1/_history/2' give '1'); NULL
 * without a reference. For a parameter that holds at most one reference, every row whose keys
 * meet a search's keys has the id of those keys (reference-date-order.ts), and a btree index on it
 * and a date sort key walks one target's resources in date order.
 */
const REFERENCE_ID = `CREATE OR REPLACE FUNCTION flint_reference_id(doc jsonb, paths text[]) RETURNS text ${KEY_FUNCTION} AS $$
DECLARE
  keys text[] := public.flint_reference_keys(doc, paths);
  reference text;
BEGIN
  IF cardinality(keys) = 0 THEN RETURN NULL; END IF;
  reference := split_part(keys[cardinality(keys)], '|', 1);
  IF strpos(reference, '/_history/') > 0 THEN reference := left(reference, strpos(reference, '/_history/') - 1); END IF;
  RETURN split_part(reference, '/', -1);
END $$`;

export const referenceType: ParameterType = {
  code: 'reference',
  valueCondition: referenceCondition,
  sortKey: (document, paths, descending) => ({
    text: `(SELECT ${descending ? 'max' : 'min'}(k) FROM unnest(${keyExpressionText('flint_reference_keys', document, paths)}) AS k)`,
    type: 'text',
  }),
  index: { fn: 'flint_reference_keys', method: 'gin' },
  functions: [REFERENCE_KEYS, REFERENCE_ID],
};
