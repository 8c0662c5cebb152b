/**
 * Parses search query parameters (http://hl7.org/fhir/R4/search.html) into filters (name, modifier,
 * comma-separated values meaning OR; repeated names meaning AND) and result parameters.
 */
import { invalid, type QueryParams } from '../core/index.js';

export interface SearchFilter {
  /** The parameter as written (name:modifier). */
  param: string;
  code: string;
  modifier?: string;
  /** Comma-separated alternatives (OR); escaped commas (\,) stay in the value. */
  values: string[];
}

export interface SortKey {
  code: string;
  descending: boolean;
}

export interface ParsedSearch {
  filters: SearchFilter[];
  count?: number;
  offset: number;
  sort: SortKey[];
  total?: 'none' | 'estimate' | 'accurate';
}

/** Parameters that control the result, not which resources match. */
export const RESULT_PARAMETERS = new Set([
  '_count', '_offset', '_sort', '_total', '_summary', '_elements', '_include', '_revinclude', '_contained', '_containedType',
]);

/** Splits on commas that are not escaped with a backslash, and unescapes \, \$ \| \\. */
export function splitOrValues(value: string): string[] {
  const values: string[] = [];
  let current = '';
  for (let i = 0; i < value.length; i++) {
    const char = value[i];
    if (char === '\\' && i + 1 < value.length) {
      current += value[i + 1] === ',' ? ',' : char + value[i + 1];
      i++;
    } else if (char === ',') {
      values.push(current);
      current = '';
    } else current += char;
  }
  values.push(current);
  return values;
}

function parseCount(value: string, name: string): number {
  if (!/^\d+$/.test(value)) throw invalid('search.bad-count', `${name} must be a non-negative integer, not "${value}"`, { expression: name });
  return Number(value);
}

function parseTotal(value: string): ParsedSearch['total'] {
  if (value === 'none' || value === 'estimate' || value === 'accurate') return value;
  throw invalid('search.bad-total', `_total must be none, estimate or accurate, not "${value}"`, { expression: '_total' });
}

export function parseSearch(query: QueryParams): ParsedSearch {
  const parsed: ParsedSearch = { filters: [], offset: 0, sort: [] };
  for (const [param, value] of query) {
    if (param === '_count') parsed.count = parseCount(value, '_count');
    else if (param === '_offset') parsed.offset = parseCount(value, '_offset');
    else if (param === '_total') parsed.total = parseTotal(value);
    else if (param === '_sort') {
      parsed.sort.push(...value.split(',').filter(Boolean).map((key) => (key.startsWith('-')
        ? { code: key.slice(1), descending: true } : { code: key, descending: false })));
    } else if (!RESULT_PARAMETERS.has(param)) {
      const [code, modifier] = param.split(':', 2);
      parsed.filters.push({ param, code, modifier, values: splitOrValues(value) });
    }
  }
  return parsed;
}
