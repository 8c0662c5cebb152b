/**
 * The SQL expressions that extract search keys from a resource (the key functions the parameter
 * types own, key-functions.ts, applied to a document and a parameter's jsonpaths). Conditions and
 * index definitions build them here, in one place, so that a condition's expression is exactly an
 * index's expression and PostgreSQL can use the index.
 */
import { quoteLiteral, raw, type Sql } from '../../sql/index.js';
import type { SearchPath } from '../parameter-paths.js';

export type KeyFunction =
  | 'flint_string_text' | 'flint_string_exact' | 'flint_token_keys' | 'flint_token_text'
  | 'flint_reference_keys' | 'flint_reference_id' | 'flint_date_ranges' | 'flint_date_envelope' | 'flint_numbers' | 'flint_quantities';

/** The jsonpaths as a constant text[] (a literal, never a parameter: index expressions must match). */
export function pathsLiteral(paths: readonly SearchPath[]): string {
  const unique = [...new Set(paths.map((path) => path.path))];
  return `ARRAY[${unique.map(quoteLiteral).join(', ')}]::text[]`;
}

/** function(document, paths) as SQL text; document is SQL text (resource, r0.resource, c.doc). */
export function keyExpressionText(fn: KeyFunction, document: string, paths: readonly SearchPath[]): string {
  return `${fn}(${document}, ${pathsLiteral(paths)})`;
}

/** The same as a fragment. The document is trusted SQL text: a column (resource, r0.resource) or an alias. */
export function keyExpression(fn: KeyFunction, document: string, paths: readonly SearchPath[]): Sql {
  return raw(keyExpressionText(fn, document, paths));
}

/** jsonpath literal for the @? operator and jsonb_path_* functions. */
export function jsonpathLiteral(path: string): string {
  return `${quoteLiteral(path)}::jsonpath`;
}
