/**
 * Parses search query parameters (http://hl7.org/fhir/R4/search.html) into filters (name, modifier,
 * chain, comma-separated values meaning OR; repeated names meaning AND) and the parameters that
 * control the result (_sort, _count, _total, _summary, _elements, _include, _revinclude, _type).
 */
import type { QueryParams } from '../core/index.js';
import { rejectCostlySearch } from './search-cost.js';
import { searchErrors } from './search-errors.js';

export interface ChainStep {
  code: string;
  /** The type modifier of a reference link (subject:Patient). */
  modifier?: string;
}

export interface SearchFilter {
  /** The parameter as written (subject:Patient.name:exact). */
  param: string;
  code: string;
  modifier?: string;
  /** For chained parameters (subject.name): the parameters after the first, the last one filtering. */
  chain?: ChainStep[];
  /** Comma-separated alternatives (OR); escaped commas (\,) are unescaped, \$ and \| stay escaped. */
  values: string[];
}

export interface SortKey {
  code: string;
  descending: boolean;
}

export interface IncludeRequest {
  /** _revinclude rather than _include. */
  reverse: boolean;
  iterate: boolean;
  sourceType: string;
  /** The reference parameter, or * for all of them. */
  code: string;
  targetType?: string;
  /** As written, for error messages. */
  text: string;
}

export type SummaryMode = 'true' | 'text' | 'data' | 'count' | 'false';

export interface ParsedSearch {
  filters: SearchFilter[];
  count?: number;
  cursor?: string;
  sort: SortKey[];
  total?: 'none' | 'estimate' | 'accurate';
  summary?: SummaryMode;
  elements?: string[];
  includes: IncludeRequest[];
  /** _type of a system search. */
  types?: string[];
}

/** Parameters that control the result, not which resources match. */
export const RESULT_PARAMETERS = new Set([
  '_count', '_cursor', '_sort', '_total', '_summary', '_elements', '_include', '_revinclude',
  '_include:iterate', '_revinclude:iterate', '_include:recurse', '_revinclude:recurse', '_contained', '_containedType', '_type', '_format', '_pretty',
]);

/** An empty value means the parameter is ignored (http://hl7.org/fhir/R4/search.html#errors). */
/** Parameters whose value is one expression or text, never a comma-separated list. */
const WHOLE_VALUE = new Set(['_filter', '_text', '_content']);

/** Splits on commas that are not escaped with a backslash, unescaping \, only. */
export function splitOrValues(value: string): string[] {
  return splitEscaped(value, ',').map((part) => part.replace(/\\,/g, ','));
}

/** Splits on a separator not preceded by a backslash; escapes stay in the parts. */
export function splitEscaped(value: string, separator: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < value.length; i++) {
    const char = value[i];
    if (char === '\\' && i + 1 < value.length) {
      current += char + value[i + 1];
      i++;
    } else if (char === separator) {
      parts.push(current);
      current = '';
    } else current += char;
  }
  parts.push(current);
  return parts;
}

/** Removes the search escapes (\, \$ \| \\) from a value. */
export function unescapeValue(value: string): string {
  return value.replace(/\\([,$|\\])/g, '$1');
}

function parseCount(value: string, name: string): number {
  if (!/^\d+$/.test(value)) throw searchErrors['search.bad-count']({ name, value }, { expression: name });
  return Number(value);
}

function parseChoice<T extends string>(name: '_total' | '_summary', value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  const code = name === '_total' ? 'search.bad-total' : 'search.bad-summary';
  throw searchErrors[code]({ detail: `${name} must be one of ${allowed.join(', ')}, not "${value}"` }, { expression: name });
}

function parseInclude(param: string, value: string): IncludeRequest {
  const [base, qualifier] = param.split(':');
  const parts = value.split(':');
  if (value !== '*' && (parts.length < 2 || parts.length > 3 || parts.some((part) => part === ''))) {
    throw searchErrors['search.bad-include']({ detail: `${base} must be Type:parameter[:targetType] or *, not "${value}"` }, { expression: param });
  }
  return {
    reverse: base === '_revinclude',
    iterate: qualifier === 'iterate' || qualifier === 'recurse',
    sourceType: value === '*' ? '*' : parts[0],
    code: value === '*' ? '*' : parts[1],
    targetType: parts[2],
    text: `${param}=${value}`,
  };
}

/** subject:Patient.organization.name:exact -> the first step, the chain and the final modifier. */
export function parseFilterName(param: string): Pick<SearchFilter, 'code' | 'modifier' | 'chain'> {
  if (param.startsWith('_has:')) return { code: '_has' };
  const steps = param.split('.').map((step) => {
    const colon = step.indexOf(':');
    return colon < 0 ? { code: step } : { code: step.slice(0, colon), modifier: step.slice(colon + 1) };
  });
  const [first, ...chain] = steps;
  return chain.length > 0 ? { ...first, chain } : first;
}

function applyResultParameter(parsed: ParsedSearch, param: string, value: string): void {
  if (param === '_count') parsed.count = parseCount(value, '_count');
  else if (param === '_cursor') parsed.cursor = value;
  else if (param === '_total') parsed.total = parseChoice('_total', value, ['none', 'estimate', 'accurate'] as const);
  else if (param === '_summary') parsed.summary = parseChoice('_summary', value, ['true', 'text', 'data', 'count', 'false'] as const);
  else if (param === '_elements') parsed.elements = [...(parsed.elements ?? []), ...value.split(',').map((name) => name.trim()).filter(Boolean)];
  else if (param === '_type') parsed.types = [...(parsed.types ?? []), ...value.split(',').filter(Boolean)];
  else if (param === '_sort') {
    parsed.sort.push(...value.split(',').filter(Boolean).map((key) => (key.startsWith('-')
      ? { code: key.slice(1), descending: true } : { code: key, descending: false })));
  } else if (param.startsWith('_include') || param.startsWith('_revinclude')) parsed.includes.push(parseInclude(param, value));
}

/**
 * _query names a named query; this server defines none, and a server SHALL refuse one it does not
 * know (http://hl7.org/fhir/R4/search.html#query), whatever the handling preference.
 */
function refuseNamedQuery(value: string): never {
  throw searchErrors['search.unknown-query']({ value }, { expression: '_query' });
}

/** The search of a query; more than maxTerms terms is refused as too costly (search-cost.ts). */
export function parseSearch(query: QueryParams, maxTerms = Number.POSITIVE_INFINITY): ParsedSearch {
  const parsed: ParsedSearch = { filters: [], sort: [], includes: [] };
  for (const [param, value] of query) {
    if (param === '_query' && value !== '') refuseNamedQuery(value);
    if (RESULT_PARAMETERS.has(param)) applyResultParameter(parsed, param, value);
    else if (value !== '') parsed.filters.push({ param, ...parseFilterName(param), values: WHOLE_VALUE.has(param) ? [value] : splitOrValues(value) });
  }
  rejectCostlySearch(parsed, maxTerms);
  return parsed;
}
