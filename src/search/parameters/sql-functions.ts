/**
 * The SQL functions FHIR search compiles to (docs/search.md): each takes a resource (or an element)
 * and a parameter's jsonpaths (text[], evaluated in lax mode) and returns the keys the parameter type
 * compares: strings, token keys (code, system|code, |code, system|), references, date ranges,
 * numbers, quantities. Conditions and index definitions call them with the same arguments
 * (key-expressions.ts), so expression indexes serve the conditions.
 *
 * All are IMMUTABLE PARALLEL SAFE, independent of TimeZone and DateStyle, NULL-or-empty for
 * missing values, and created with CREATE OR REPLACE. They run on every write (index maintenance)
 * and on every scan without an index, so they are written for speed: PL/pgSQL loops over
 * jsonb_path_query_array results (jsonpath errors silenced). SQL functions over set-returning
 * subqueries were 5-50 times slower: they start an executor on every call, and jsonb_path_query's
 * estimate of 1000 rows made PostgreSQL JIT-compile each call. Other functions are referenced
 * schema-qualified (public), so they resolve under the restricted search_path PostgreSQL 17 and
 * later use in CREATE INDEX, REINDEX and ANALYZE.
 */
import type { Queryable } from '../../db/index.js';
import { raw } from '../../sql/index.js';
import { DATE_FUNCTIONS_DDL } from './sql-date-functions.js';
import { KEY_FUNCTION, PLPGSQL } from './sql-function-attributes.js';


/** lower(unaccent()) for case- and accent-insensitive strings; the dictionary is explicit, as an index needs. */
const NORM = `CREATE OR REPLACE FUNCTION flint_norm(value text) RETURNS text ${PLPGSQL} STRICT AS $$
BEGIN
  RETURN lower(public.unaccent('public.unaccent'::regdictionary, value));
END $$`;

/** Every value along the paths as one jsonb array, arrays unwrapped once ($.name gives each HumanName). */
const PATH_ITEMS = `CREATE OR REPLACE FUNCTION flint_path_items(doc jsonb, paths text[]) RETURNS jsonb ${KEY_FUNCTION} AS $$
DECLARE
  path text;
  items jsonb := '[]';
BEGIN
  IF cardinality(paths) = 1 THEN
    RETURN coalesce(jsonb_path_query_array(jsonb_path_query_array(doc, paths[1]::jsonpath, '{}', true), 'lax $[*][*]'), '[]');
  END IF;
  IF doc IS NULL OR paths IS NULL THEN RETURN items; END IF;
  FOREACH path IN ARRAY paths LOOP
    items := items || coalesce(jsonb_path_query_array(jsonb_path_query_array(doc, path::jsonpath, '{}', true), 'lax $[*][*]'), '[]');
  END LOOP;
  RETURN items;
END $$`;

/**
 * Key arrays stay unique by a scan of the keys so far while they are few (the usual case); beyond
 * MANY_KEYS new keys are appended unchecked and the array is made unique once at the end, keeping
 * the order of first occurrence. A resource with 20,000 identifiers then costs linear time, not the
 * quadratic time of scanning every key for every key.
 */
const MANY_KEYS = 64;
const UNIQUE_KEYS = `IF cardinality(keys) > ${MANY_KEYS} THEN
    keys := ARRAY(SELECT key FROM unnest(keys) WITH ORDINALITY AS k(key, n) GROUP BY key ORDER BY min(n));
  END IF;`;

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

export const SEARCH_FUNCTIONS_DDL: readonly string[] = [
  NORM, PATH_ITEMS, STRING_EXACT, STRING_TEXT, TOKEN_KEYS, TOKEN_TEXT, REFERENCE_KEYS, REFERENCE_ID, NUMBERS, QUANTITIES,
  ...DATE_FUNCTIONS_DDL,
];

/** Creates or replaces every function (idempotent; run it under the schema lock when servers may start together). */
export async function installSearchFunctions(db: Queryable): Promise<void> {
  for (const statement of SEARCH_FUNCTIONS_DDL) await db.query(raw(statement));
}
