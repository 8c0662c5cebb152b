/**
 * _sort (http://hl7.org/fhir/R4/search.html#sort): each key becomes a SQL expression with the type
 * keyset paging compares in: _id and _lastUpdated are columns; a parameter sorts by the key its
 * type defines (ParameterType.sortKey: a date by the start of its earliest value ascending and the
 * end of its latest descending, numbers by their least or greatest value, strings by their
 * normalized text, tokens by their least code, references by their first key).
 */
import { raw, type Sql } from '../sql/index.js';
import type { CompileContext, ResourceScope } from './compile-context.js';
import { documentOf } from './compile-context.js';
import type { SortKeyExpression, SortType } from './parameters/parameter-type.js';
import { parameterTypeOf } from './parameters/parameter-types.js';
import { resolveParameter } from './resolve-parameter.js';
import { searchErrors } from './search-errors.js';
import type { SortKey } from './search-request.js';

export interface SortColumn {
  expression: Sql;
  type: SortType;
  descending: boolean;
}

function parameterExpression(cc: CompileContext, scope: ResourceScope, key: SortKey): SortKeyExpression {
  const parameter = resolveParameter(cc, scope.resourceType, key.code, '_sort');
  const type = parameterTypeOf(parameter.definition.type);
  if (!type?.sortKey) throw searchErrors['search.bad-sort']({ code: key.code, type: parameter.definition.type }, { expression: '_sort' });
  return type.sortKey(documentOf(scope), parameter.paths, key.descending);
}

export function sortColumns(cc: CompileContext, scope: ResourceScope, keys: readonly SortKey[]): SortColumn[] {
  return keys.map((key) => {
    if (key.code === '_id') return { expression: raw(`${scope.alias}.id`), type: 'text', descending: key.descending };
    if (key.code === '_lastUpdated') return { expression: raw(`${scope.alias}.ts`), type: 'timestamptz', descending: key.descending };
    const { text, type } = parameterExpression(cc, scope, key);
    return { expression: raw(text), type, descending: key.descending };
  });
}
