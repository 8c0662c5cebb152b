/**
 * One alternative of a filter value tested against one value a SearchParameter expression selects
 * from a resource, per parameter type as FHIR search defines it (http://hl7.org/fhir/R4/search.html):
 * token (code, system|code, |code, system|), reference (Type/id, id, an absolute URL ending in
 * Type/id), string (starts with, ignoring case and accents; :exact, :contains), uri (exact; :below,
 * :above) and date (eq: the value's range lies within the range of the given date or instant).
 */
import { dateRange, parseReference } from '../../core/index.js';
import type { TypedValue } from '../../fhirpath/index.js';
import { splitEscaped, unescapeValue } from '../../search/index.js';

export type ValueTest = (value: TypedValue) => boolean;

/** The parameter types evaluated in memory, with the modifiers each takes besides :not and :missing. */
export const TYPE_MODIFIERS: Readonly<Record<string, readonly string[]>> = {
  token: [], reference: [], string: ['exact', 'contains'], uri: ['below', 'above'], date: [],
};

type JsonRecord = Record<string, unknown>;

function typeName(value: TypedValue): string {
  return value.type.replace(/^(FHIR|System)\./, '');
}

function record(value: unknown): JsonRecord | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value as JsonRecord : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

interface TokenCode { system?: string; code?: string }

function codingOf(value: unknown): TokenCode[] {
  const coding = record(value);
  return coding ? [{ system: text(coding.system), code: text(coding.code) }] : [];
}

function tokenCodes(value: TypedValue): TokenCode[] {
  const type = typeName(value);
  const object = record(value.value);
  if (!object) return typeof value.value === 'string' || typeof value.value === 'boolean' ? [{ code: String(value.value) }] : [];
  if (type === 'CodeableConcept' || Array.isArray(object.coding)) return (object.coding as unknown[] ?? []).flatMap(codingOf);
  if (type === 'ContactPoint') return [{ code: text(object.value) }];
  if (type === 'Identifier' || (object.value !== undefined && object.code === undefined)) return [{ system: text(object.system), code: text(object.value) }];
  return codingOf(object);
}

function tokenTest(query: string): ValueTest {
  const parts = splitEscaped(query, '|').map(unescapeValue);
  const [system, code] = parts.length === 1 ? [undefined, parts[0]] : [parts[0], parts.slice(1).join('|')];
  const systemMatches = (found?: string) => system === undefined || (system === '' ? found === undefined : found === system);
  return (value) => tokenCodes(value).some((c) => systemMatches(c.system) && (code === '' || c.code === code));
}

interface ReferenceKey { type?: string; id?: string; text: string }

function referenceKey(reference: string): ReferenceKey {
  const parsed = parseReference(reference);
  return parsed?.resourceType ? { type: parsed.resourceType, id: parsed.id, text: reference } : { text: reference };
}

function referenceTest(query: string): ValueTest {
  const wanted = /^[A-Za-z0-9\-.]{1,64}$/.test(query) ? { id: query, text: query } : referenceKey(query);
  return (value) => {
    const object = record(value.value);
    const found = text(object ? object.reference : value.value);
    if (found === undefined) return false;
    if (found === wanted.text) return true;
    const key = referenceKey(found);
    return key.id !== undefined && key.id === wanted.id && (wanted.type === undefined || key.type === wanted.type);
  };
}

/** FHIR string search ignores case and accents. */
export function foldString(value: string): string {
  return value.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

const NAME_PARTS = ['family', 'given', 'text', 'prefix', 'suffix'];
const ADDRESS_PARTS = ['line', 'city', 'district', 'state', 'postalCode', 'country', 'text'];

function stringParts(value: TypedValue): string[] {
  if (typeof value.value === 'string') return [value.value];
  const object = record(value.value);
  if (!object) return [];
  const keys = typeName(value) === 'Address' || 'city' in object || 'line' in object ? ADDRESS_PARTS : NAME_PARTS;
  return keys.flatMap((key) => [object[key]].flat()).filter((part): part is string => typeof part === 'string');
}

function stringTest(query: string, modifier?: string): ValueTest {
  const folded = foldString(query);
  if (modifier === 'exact') return (value) => stringParts(value).some((part) => part === query);
  if (modifier === 'contains') return (value) => stringParts(value).some((part) => foldString(part).includes(folded));
  return (value) => stringParts(value).some((part) => foldString(part).startsWith(folded));
}

function uriTest(query: string, modifier?: string): ValueTest {
  const matches = modifier === 'below' ? (found: string) => found.startsWith(query)
    : modifier === 'above' ? (found: string) => query.startsWith(found) : (found: string) => found === query;
  return (value) => typeof value.value === 'string' && matches(value.value);
}

interface Range { start: string; end: string }

/** The range a date, dateTime, instant or Period covers; an open end of a Period is unbounded. */
function valueRange(value: TypedValue): Range | undefined {
  if (typeof value.value === 'string') return dateRange(value.value);
  const period = record(value.value);
  if (!period || (period.start === undefined && period.end === undefined)) return undefined;
  const start = typeof period.start === 'string' ? dateRange(period.start)?.start : '';
  const end = typeof period.end === 'string' ? dateRange(period.end)?.end : '~';
  return start === undefined || end === undefined ? undefined : { start, end };
}

/** A date test, or undefined when the value is not `[eq]date` (other prefixes are not evaluated here). */
function dateTest(query: string): ValueTest | undefined {
  const range = dateRange(query.startsWith('eq') ? query.slice(2) : query);
  if (!range) return undefined;
  return (value) => {
    const found = valueRange(value);
    return found !== undefined && found.start >= range.start && found.end <= range.end;
  };
}

/** The test of one alternative, or undefined when the alternative is not a value of the type. */
export function valueTest(type: string, query: string, modifier?: string): ValueTest | undefined {
  switch (type) {
    case 'token': return tokenTest(query);
    case 'reference': return referenceTest(unescapeValue(query));
    case 'string': return stringTest(unescapeValue(query), modifier);
    case 'uri': return uriTest(unescapeValue(query), modifier);
    case 'date': return dateTest(query);
    default: return undefined;
  }
}
