/**
 * Compiles one search filter into a SQL condition over a table's columns and resource JSONB.
 * Supported so far: _id, _lastUpdated, token search on Identifier elements, and string, token and
 * uri search on single string, code and uri elements.
 */
import { dateRange, FhirError, invalid } from '../core/index.js';
import { join, jsonParam, sql, type Sql } from '../sql/index.js';
import type { SearchContext } from './search-context.js';
import type { SearchFilter } from './search-request.js';

const PREFIXES = ['eq', 'ne', 'gt', 'lt', 'ge', 'le', 'sa', 'eb', 'ap'];

function unsupported(filter: SearchFilter, resourceType: string): FhirError {
  return invalid('search.unknown-parameter', `Unknown or unsupported search parameter "${filter.param}" for ${resourceType}`,
    { expression: filter.param });
}

function idCondition(filter: SearchFilter): Sql {
  if (filter.modifier) throw invalid('search.bad-modifier', `_id does not support :${filter.modifier}`, { expression: filter.param });
  return sql`id = ANY(${filter.values}::text[])`;
}

function lastUpdatedCondition(filter: SearchFilter): Sql {
  const alternatives = filter.values.map((value) => {
    const prefix = PREFIXES.includes(value.slice(0, 2)) ? value.slice(0, 2) : 'eq';
    const range = dateRange(prefix === 'eq' && !PREFIXES.includes(value.slice(0, 2)) ? value : value.slice(2));
    if (!range) throw invalid('search.bad-date', `"${value}" is not a valid date for _lastUpdated`, { expression: filter.param });
    const start = sql`${range.start}::timestamptz`;
    const end = sql`${range.end}::timestamptz`;
    switch (prefix) {
      case 'ne': return sql`NOT (ts >= ${start} AND ts < ${end})`;
      case 'gt': case 'sa': return sql`ts >= ${end}`;
      case 'lt': case 'eb': return sql`ts < ${start}`;
      case 'ge': return sql`ts >= ${start}`;
      case 'le': return sql`ts < ${end}`;
      default: return sql`(ts >= ${start} AND ts < ${end})`;
    }
  });
  return sql`(${join(alternatives, ' OR ')})`;
}

function identifierCondition(element: string, filter: SearchFilter): Sql {
  const alternatives = filter.values.map((value) => {
    const bar = value.indexOf('|');
    const identifier = bar < 0 ? { value } : bar === 0 ? { value: value.slice(1) } : { system: value.slice(0, bar), value: value.slice(bar + 1) };
    if (identifier.value === '') delete (identifier as { value?: string }).value;
    return sql`resource -> ${element} @> ${jsonParam([identifier])}::jsonb`;
  });
  return sql`(${join(alternatives, ' OR ')})`;
}

export function compileFilter(ctx: SearchContext, resourceType: string, filter: SearchFilter): Sql {
  if (filter.code === '_id') return idCondition(filter);
  if (filter.code === '_lastUpdated') return lastUpdatedCondition(filter);
  const parameter = ctx.model.searchParameters.get(resourceType, filter.code);
  const simplePath = parameter?.expression?.match(new RegExp(`^${resourceType}\\.(\\w+)$`))?.[1];
  const element = simplePath ? ctx.model.elementAtPath(`${resourceType}.${simplePath}`) : undefined;
  if (parameter?.type === 'token' && !filter.modifier && element?.types[0]?.code === 'Identifier') {
    return identifierCondition(simplePath as string, filter);
  }
  const primitive = element && !element.isArray && ['string', 'code', 'uri'].includes(element.types[0]?.code ?? '');
  if (primitive && (parameter?.type === 'string' || parameter?.type === 'token' || parameter?.type === 'uri')) {
    return primitiveCondition(simplePath as string, parameter.type, filter);
  }
  throw unsupported(filter, resourceType);
}

/**
 * A single string, code or uri element: string search matches the start, ignoring case (:exact the
 * whole value); token and uri search match the whole value.
 */
function primitiveCondition(element: string, type: string, filter: SearchFilter): Sql {
  const exact = type !== 'string' || filter.modifier === 'exact';
  if (filter.modifier && !(type === 'string' && (filter.modifier === 'exact' || filter.modifier === 'contains'))) {
    throw invalid('search.bad-modifier', `${filter.code} does not support :${filter.modifier}`, { expression: filter.param });
  }
  const alternatives = filter.values.map((value) => {
    if (exact) return sql`resource ->> ${element} = ${value}`;
    const pattern = value.replace(/[\\%_]/g, (c) => `\\${c}`);
    const like = filter.modifier === 'contains' ? `%${pattern}%` : `${pattern}%`;
    return sql`resource ->> ${element} ILIKE ${like}`;
  });
  return sql`(${join(alternatives, ' OR ')})`;
}
