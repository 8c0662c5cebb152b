/**
 * What every search key function is built from: the attributes each is created with (PL/pgSQL,
 * IMMUTABLE, since index expressions call them, and PARALLEL SAFE), the cost of those that read a
 * document, flint_norm and flint_path_items, which the types' key functions call, and the step
 * that keeps a key array unique. The types' own key functions live in their modules.
 */

export const PLPGSQL = 'LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE';

/**
 * A call reading a document costs tens of microseconds, not the default COST 100 (a few operators):
 * with the real cost the planner prefers an index on the expression to filtering rows walked in
 * another index's order (a primary key scan for ORDER BY id LIMIT n).
 */
export const KEY_FUNCTION = `${PLPGSQL} COST 1000`;

/** lower(unaccent()) for case- and accent-insensitive strings; the dictionary is explicit, as an index needs. */
export const NORM = `CREATE OR REPLACE FUNCTION flint_norm(value text) RETURNS text ${PLPGSQL} STRICT AS $$
BEGIN
  RETURN lower(public.unaccent('public.unaccent'::regdictionary, value));
END $$`;

/** Every value along the paths as one jsonb array, arrays unwrapped once ($.name gives each HumanName). */
export const PATH_ITEMS = `CREATE OR REPLACE FUNCTION flint_path_items(doc jsonb, paths text[]) RETURNS jsonb ${KEY_FUNCTION} AS $$
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
export const MANY_KEYS = 64;
export const UNIQUE_KEYS = `IF cardinality(keys) > ${MANY_KEYS} THEN
    keys := ARRAY(SELECT key FROM unnest(keys) WITH ORDINALITY AS k(key, n) GROUP BY key ORDER BY min(n));
  END IF;`;
