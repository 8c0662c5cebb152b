/**
 * The common parameters that are not paths into the resource (http://hl7.org/fhir/R4/search.html#all):
 * _id and _lastUpdated (columns), _text (the narrative) and _content (the whole resource) as
 * full-text search, and _list (the items of a List the caller may see).
 */
import { ident, raw, sql, type Sql } from '../../sql/index.js';
import type { CompileContext, ResourceScope } from '../compile-context.js';
import { parseDateValue } from '../parameters/date-type.js';
import { andVisible } from '../row-condition.js';
import { searchErrors } from '../search-errors.js';
import type { SearchFilter } from '../search-request.js';
import { anyOf } from '../sql-logic.js';

function noModifier(filter: SearchFilter, allowed: string[] = []): void {
  if (filter.modifier && !allowed.includes(filter.modifier)) {
    throw searchErrors['search.bad-modifier']({ detail: `${filter.code} does not support :${filter.modifier}` }, { expression: filter.param });
  }
}

function column(scope: ResourceScope, name: string): Sql {
  return raw(`${scope.alias}.${name}`);
}

export function idCondition(scope: ResourceScope, filter: SearchFilter): Sql {
  noModifier(filter, ['not']);
  const condition = sql`${column(scope, 'id')} = ANY(${filter.values}::text[])`;
  return filter.modifier === 'not' ? sql`NOT ${condition}` : condition;
}

export function lastUpdatedCondition(scope: ResourceScope, filter: SearchFilter): Sql {
  noModifier(filter);
  const ts = column(scope, 'ts');
  return anyOf(filter.values.map((value) => {
    const { prefix, range } = parseDateValue(value, filter.param);
    const start = sql`${range.start}::timestamptz`;
    const end = sql`${range.end}::timestamptz`;
    switch (prefix) {
      case 'ne': return sql`NOT (${ts} >= ${start} AND ${ts} < ${end})`;
      case 'gt': case 'sa': return sql`${ts} >= ${end}`;
      case 'lt': case 'eb': return sql`${ts} < ${start}`;
      case 'ge': return sql`${ts} >= ${start}`;
      case 'le': return sql`${ts} < ${end}`;
      case 'ap': return sql`(${ts} >= ${start}::timestamptz - interval '1 day' AND ${ts} < ${end}::timestamptz + interval '1 day')`;
      default: return sql`(${ts} >= ${start} AND ${ts} < ${end})`;
    }
  }));
}

/** The expression full-text search reads for _text (narrative) or _content (everything). */
export function fullTextDocument(scope: ResourceScope, code: '_text' | '_content'): string {
  return code === '_text'
    ? `to_tsvector('simple', flint_norm(coalesce(${scope.alias}.resource #>> '{text,div}', '')))`
    : `to_tsvector('simple', flint_norm(${scope.alias}.resource::text))`;
}

export function fullTextCondition(scope: ResourceScope, filter: SearchFilter & { code: '_text' | '_content' }): Sql {
  noModifier(filter);
  const vector = raw(fullTextDocument(scope, filter.code));
  return anyOf(filter.values.map((value) => sql`${vector} @@ websearch_to_tsquery('simple', flint_norm(${value}))`));
}

export function listCondition(cc: CompileContext, scope: ResourceScope, filter: SearchFilter): Sql {
  noModifier(filter);
  const lists = cc.search.storages.storageFor('List');
  if (!lists) return raw('FALSE');
  const reference = sql`${`${scope.resourceType}/`}::text || ${column(scope, 'id')}`;
  const listed = andVisible(cc, { resourceType: 'List', alias: 'l' }, sql`l.id = ANY(${filter.values}::text[])`);
  return sql`${reference} IN (SELECT jsonb_path_query(l.resource, '$.entry.item.reference') #>> '{}' FROM ${ident(lists.table)} AS l WHERE ${listed})`;
}
