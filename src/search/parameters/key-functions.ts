/**
 * The SQL functions FHIR search compiles to (docs/search.md): each takes a resource (or an element)
 * and a parameter's jsonpaths (text[], evaluated in lax mode) and returns the keys the parameter type
 * compares: strings, token keys (code, system|code, |code, system|), references, date ranges,
 * numbers, quantities. Each parameter type's module owns the DDL of its key functions
 * (ParameterType.functions); this file gathers them behind the shared ones (key-function-sql.ts)
 * and installs them. Conditions and index definitions call them with the same arguments
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
import { NORM, PATH_ITEMS } from './key-function-sql.js';
import { parameterTypeList } from './parameter-types.js';

export const SEARCH_FUNCTIONS_DDL: readonly string[] = [NORM, PATH_ITEMS, ...parameterTypeList.flatMap((type) => type.functions)];

/** Creates or replaces every function (idempotent; run it under the schema lock when servers may start together). */
export async function installSearchFunctions(db: Queryable): Promise<void> {
  for (const statement of SEARCH_FUNCTIONS_DDL) await db.query(raw(statement));
}
