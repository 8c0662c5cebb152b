/**
 * The SQL functions Flint installs in schema `fhir` at start, for people writing SQL (docs/sql.md)
 * and for the views SQL on FHIR compiles (docs/sql-on-fhir.md):
 *
 * - fhir.resource(row) / fhir.resource(resource_type, id, txid, ts, resource): a stored row as the
 *   FHIR JSON the REST API returns (resourceType, id, meta.versionId, meta.lastUpdated);
 *   fhir.meta(meta, txid, ts) and fhir.instant(ts) are its parts.
 * - fhir.reference_key(reference [, type]), fhir.reference_type(reference): the id and type of a
 *   relative literal reference (Patient/123, Patient/123/_history/2); getReferenceKey() of SQL on FHIR.
 * - fhir.references(resource): every Reference.reference in a resource, with type and id.
 * - fhir.codings(concept), fhir.code(concept [, system]), fhir.has_code(concept, system, code).
 * - fhir.extension(element, url), fhir.extension_value(element, url).
 * - FHIRPath helpers of compiled views: fhir.fp_singleton, fhir.fp_compare, fhir.fp_boundary_*.
 *
 * Installed idempotently under the schema lock; a version mark on the schema skips the work when
 * the database already has this version.
 */
import { quoteLiteral, raw, sql } from '../sql/index.js';
import { withSchemaLock, type Database } from '../db/index.js';
import { FHIRPATH_FUNCTIONS } from './fhirpath-sql-functions.js';

/** Bump when a definition below changes, so running servers replace them at their next start. */
export const FHIR_FUNCTIONS_VERSION = 'flint-fhir-functions 4';

// The relative literal reference form (Type/id, optionally /_history/version), as sof's in-memory
// runner reads it. The type is written into the pattern, so with a constant type PostgreSQL folds
// the pattern once and the reference is read twice per row, not five times; no capture groups and
// no bounded repetition ({1,64}), which make PostgreSQL's regular expressions several times slower.
const TYPE_NAME = '[A-Z][A-Za-z0-9]*';
const REFERENCE_TAIL = '/[-.A-Za-z0-9]+(/_history/[-.A-Za-z0-9]+)?$';
const REFERENCE_MATCHES = `(resource_type IS NULL OR resource_type ~ '^${TYPE_NAME}$')
  AND reference ~ ('^' || coalesce(resource_type, '${TYPE_NAME}') || '${REFERENCE_TAIL}')`;

const RESOURCE_FUNCTIONS = [
  `CREATE OR REPLACE FUNCTION fhir.instant(ts timestamptz) RETURNS text
     LANGUAGE sql STABLE PARALLEL SAFE
     AS $$ SELECT to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') $$`,
  `CREATE OR REPLACE FUNCTION fhir.meta(meta jsonb, txid bigint, ts timestamptz) RETURNS jsonb
     LANGUAGE sql STABLE PARALLEL SAFE
     AS $$ SELECT coalesce(meta, '{}'::jsonb) || jsonb_build_object('versionId', txid::text, 'lastUpdated', fhir.instant(ts)) $$`,
  `CREATE OR REPLACE FUNCTION fhir.resource(resource_type text, id text, txid bigint, ts timestamptz, resource jsonb) RETURNS jsonb
     LANGUAGE sql STABLE PARALLEL SAFE
     AS $$ SELECT jsonb_build_object('resourceType', resource_type, 'id', id)
                  || (resource - 'meta') || jsonb_build_object('meta', fhir.meta(resource -> 'meta', txid, ts)) $$`,
  `CREATE OR REPLACE FUNCTION fhir.resource(r anyelement) RETURNS jsonb
     LANGUAGE sql STABLE PARALLEL SAFE
     AS $$ SELECT fhir.resource(j ->> 'resource_type', j ->> 'id', (j ->> 'txid')::bigint, (j ->> 'ts')::timestamptz, j -> 'resource')
           FROM (SELECT to_jsonb(r) AS j) AS row_json $$`,
];

const REFERENCE_FUNCTIONS = [
  `CREATE OR REPLACE FUNCTION fhir.reference_key(reference text, resource_type text DEFAULT NULL) RETURNS text
     LANGUAGE sql IMMUTABLE PARALLEL SAFE
     AS $$ SELECT CASE WHEN ${REFERENCE_MATCHES} THEN split_part(reference, '/', 2) END $$`,
  `CREATE OR REPLACE FUNCTION fhir.reference_type(reference text) RETURNS text
     LANGUAGE sql IMMUTABLE PARALLEL SAFE
     AS $$ SELECT CASE WHEN reference ~ '^${TYPE_NAME}${REFERENCE_TAIL}' THEN split_part(reference, '/', 1) END $$`,
  `CREATE OR REPLACE FUNCTION fhir.references(resource jsonb)
     RETURNS TABLE (reference text, resource_type text, id text)
     LANGUAGE sql IMMUTABLE PARALLEL SAFE
     AS $$ SELECT r #>> '{}', fhir.reference_type(r #>> '{}'), fhir.reference_key(r #>> '{}')
           FROM jsonb_path_query(resource, 'strict $.** ? (@.type() == "object" && exists(@.reference)).reference ? (@.type() == "string")') AS r $$`,
];

const CODING_FUNCTIONS = [
  `CREATE OR REPLACE FUNCTION fhir.codings(concept jsonb) RETURNS TABLE (system text, code text, display text)
     LANGUAGE sql IMMUTABLE PARALLEL SAFE
     AS $$ SELECT c ->> 'system', c ->> 'code', c ->> 'display' FROM jsonb_path_query(concept, 'lax $.coding[*]') AS c $$`,
  `CREATE OR REPLACE FUNCTION fhir.code(concept jsonb, system text DEFAULT NULL) RETURNS text
     LANGUAGE sql IMMUTABLE PARALLEL SAFE
     AS $$ SELECT c.code FROM fhir.codings(concept) AS c WHERE $2 IS NULL OR c.system = $2 LIMIT 1 $$`,
  `CREATE OR REPLACE FUNCTION fhir.has_code(concept jsonb, system text, code text) RETURNS boolean
     LANGUAGE sql IMMUTABLE PARALLEL SAFE
     AS $$ SELECT EXISTS (SELECT 1 FROM fhir.codings(concept) AS c WHERE c.code = $3 AND ($2 IS NULL OR c.system = $2)) $$`,
  `CREATE OR REPLACE FUNCTION fhir.extension(element jsonb, url text) RETURNS jsonb
     LANGUAGE sql IMMUTABLE PARALLEL SAFE
     AS $$ SELECT e FROM jsonb_array_elements(CASE jsonb_typeof(element -> 'extension') WHEN 'array' THEN element -> 'extension' END) AS e
           WHERE e ->> 'url' = $2 LIMIT 1 $$`,
  `CREATE OR REPLACE FUNCTION fhir.extension_value(element jsonb, url text) RETURNS jsonb
     LANGUAGE sql IMMUTABLE PARALLEL SAFE
     AS $$ SELECT v.value FROM jsonb_each(fhir.extension(element, url)) AS v WHERE v.key LIKE 'value%' LIMIT 1 $$`,
];

export const FHIR_FUNCTION_DDL: readonly string[] = [
  'CREATE SCHEMA IF NOT EXISTS fhir',
  ...RESOURCE_FUNCTIONS,
  ...REFERENCE_FUNCTIONS,
  ...CODING_FUNCTIONS,
  ...FHIRPATH_FUNCTIONS,
  `COMMENT ON SCHEMA fhir IS ${quoteLiteral(FHIR_FUNCTIONS_VERSION)}`,
];

async function installedVersion(db: Database): Promise<string | undefined> {
  const { rows } = await db.query<{ version: string | null }>(sql`
    SELECT obj_description(oid, 'pg_namespace') AS version FROM pg_namespace WHERE nspname = 'fhir'`);
  return rows[0]?.version ?? undefined;
}

/** Creates or replaces the functions; does nothing when this version is installed. Returns whether it ran DDL. */
export async function installFhirFunctions(db: Database): Promise<boolean> {
  if (await installedVersion(db) === FHIR_FUNCTIONS_VERSION) return false;
  return withSchemaLock(db, async (tx) => {
    const { rows } = await tx.query<{ version: string | null }>(sql`
      SELECT obj_description(oid, 'pg_namespace') AS version FROM pg_namespace WHERE nspname = 'fhir'`);
    if (rows[0]?.version === FHIR_FUNCTIONS_VERSION) return false;
    for (const statement of FHIR_FUNCTION_DDL) await tx.query(raw(statement));
    return true;
  });
}
