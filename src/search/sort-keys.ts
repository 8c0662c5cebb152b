/**
 * _sort (http://hl7.org/fhir/R4/search.html#sort): each key becomes a SQL expression with the type
 * keyset paging compares in: _id and _lastUpdated are columns; a date sorts by the start of its
 * earliest value ascending and the end of its latest descending; numbers by their least or greatest
 * value; strings by their normalized text; tokens by their least code; references by their first key.
 */
import { invalid } from '../core/index.js';
import { raw, type Sql } from '../sql/index.js';
import type { CompileContext, ResourceScope } from './compile-context.js';
import { documentOf } from './compile-context.js';
import { dateSortText, keyExpressionText } from './parameters/key-expressions.js';
import { resolveParameter } from './resolve-parameter.js';
import type { SortKey } from './search-request.js';

export type SortType = 'text' | 'timestamptz' | 'numeric';

export interface SortColumn {
  expression: Sql;
  type: SortType;
  descending: boolean;
}

function aggregate(descending: boolean): string {
  return descending ? 'max' : 'min';
}

function parameterExpression(cc: CompileContext, scope: ResourceScope, key: SortKey): { text: string; type: SortType } {
  const parameter = resolveParameter(cc, scope.resourceType, key.code, '_sort');
  const document = documentOf(scope);
  const paths = parameter.paths;
  const fn = aggregate(key.descending);
  switch (parameter.definition.type) {
    case 'date': return { text: dateSortText(document, paths, key.descending), type: 'timestamptz' };
    case 'number': return { text: `(SELECT ${fn}(n) FROM unnest(${keyExpressionText('flint_numbers', document, paths)}) AS n)`, type: 'numeric' };
    case 'quantity':
      return { text: `(SELECT ${fn}((q->>'value')::numeric) FROM jsonb_array_elements(${keyExpressionText('flint_quantities', document, paths)}) AS q)`, type: 'numeric' };
    case 'string': return { text: keyExpressionText('flint_string_text', document, paths), type: 'text' };
    case 'token': return { text: `(SELECT ${fn}(k) FROM unnest(${keyExpressionText('flint_token_keys', document, paths)}) AS k WHERE strpos(k, '|') = 0)`, type: 'text' };
    case 'reference': return { text: `(SELECT ${fn}(k) FROM unnest(${keyExpressionText('flint_reference_keys', document, paths)}) AS k)`, type: 'text' };
    case 'uri': return { text: `(SELECT ${fn}(u) FROM unnest(${keyExpressionText('flint_string_exact', document, paths)}) AS u)`, type: 'text' };
    default: throw invalid('search.bad-sort', `Cannot sort by ${key.code} (a ${parameter.definition.type} parameter)`, { expression: '_sort' });
  }
}

export function sortColumns(cc: CompileContext, scope: ResourceScope, keys: readonly SortKey[]): SortColumn[] {
  return keys.map((key) => {
    if (key.code === '_id') return { expression: raw(`${scope.alias}.id`), type: 'text', descending: key.descending };
    if (key.code === '_lastUpdated') return { expression: raw(`${scope.alias}.ts`), type: 'timestamptz', descending: key.descending };
    const { text, type } = parameterExpression(cc, scope, key);
    return { expression: raw(text), type, descending: key.descending };
  });
}
