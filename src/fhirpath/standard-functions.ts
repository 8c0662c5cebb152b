/**
 * Functions Flint adds to (or tightens in) the library, present in every evaluation; a caller's
 * own functions of the same name win. precision() and conformsTo() come from FHIRPath 2.0/3.0
 * (https://hl7.org/fhirpath/N1/#precision-integer, http://hl7.org/fhir/R4/fhirpath.html#functions);
 * iif() is the library's with the singleton rules of the specification enforced; replaceMatches()
 * is the library's, except that an empty regex leaves the input unchanged (FHIRPath 3.0).
 */
import type { LibraryInvocationTable } from './fhirpath-library.js';
import { isLibraryNode, isLibraryValue, libraryTypes, library, r4 } from './fhirpath-library.js';
import { toPlainValue } from './result-values.js';
import { fhirpathErrors } from './fhirpath-errors.js';

type Focus = unknown[];
type Lambda = (focus: Focus) => Focus;

function single(input: Focus, fn: string): unknown {
  if (input.length > 1) throw new Error(`${fn}() expects an input of at most one item, got ${input.length}`);
  return input[0];
}

/** Digits of precision of a decimal, date, dateTime or time (FHIRPath 3.0 precision()). */
function precision(input: Focus): number[] {
  const item = single(input, 'precision');
  if (item === undefined) return [];
  const type = libraryTypes([item])[0].replace(/^(System|FHIR)\./, '').toLowerCase();
  const value = isLibraryNode(item) ? item.data : item;
  const text = isLibraryValue(value) ? value.toString() : String(value);
  if (type === 'decimal' || type === 'integer') return [text.includes('.') ? text.split('.')[1].length : 0];
  if (type === 'date' || type === 'datetime' || type === 'time' || type === 'instant') {
    return [text.replace(/(Z|[+-]\d\d:\d\d)$/, '').replace(/\D/g, '').length];
  }
  return [];
}

const coreProfile = /^http:\/\/hl7\.org\/fhir\/StructureDefinition\/([A-Za-z]+)$/;

function isA(type: string, ancestor: string): boolean {
  for (let t: string | undefined = type; t; t = r4.type2Parent[t]) if (t === ancestor) return true;
  return false;
}

/** conformsTo() for the core resource profiles; other profiles need a function from validation. */
function conformsTo(input: Focus, url: unknown): boolean[] {
  const resource = toPlainValue(single(input, 'conformsTo')) as { resourceType?: unknown } | undefined;
  if (resource === undefined || url === undefined) return [];
  const match = coreProfile.exec(String(url));
  if (!match || !(match[1] in r4.type2Parent)) {
    throw fhirpathErrors['fhirpath.unknown-profile']({ url: String(url) });
  }
  return [typeof resource.resourceType === 'string' && isA(resource.resourceType, match[1])];
}

/** iif() that rejects a multi-item input or criterion, as the specification requires. */
function iif(input: Focus, criterion: Lambda, whenTrue: Lambda, otherwise?: Lambda): Focus {
  single(input, 'iif');
  const result = criterion(input);
  if (result.length > 1) throw new Error('iif() criterion must be a single Boolean');
  const holds = result.length === 1 && library.util.valData(result[0]) === true;
  if (holds) return whenTrue(input);
  return otherwise ? otherwise(input) : [];
}

/** replaceMatches(regex, substitution) with the FHIRPath 3.0 rule for an empty regex. */
function replaceMatches(input: Focus, regex: unknown, substitution: unknown): string[] {
  const value = toPlainValue(single(input, 'replaceMatches'));
  if (value === undefined || Array.isArray(regex) || Array.isArray(substitution)) return [];
  if (typeof value !== 'string') throw new Error('replaceMatches() expects a String input');
  if (regex === '') return [value];
  return [value.replace(new RegExp(String(regex), 'gu'), String(substitution))];
}

export const standardFunctions: LibraryInvocationTable = {
  precision: { fn: precision, arity: { 0: [] }, internalStructures: true },
  conformsTo: { fn: conformsTo, arity: { 1: ['String'] }, internalStructures: true },
  replaceMatches: { fn: replaceMatches, arity: { 2: ['String', 'String'] }, internalStructures: true },
  iif: { fn: iif, arity: { 2: ['Expr', 'Expr'], 3: ['Expr', 'Expr', 'Expr'] }, internalStructures: true },
};

/** Argument counts of the standard functions, for the compile-time check. */
export const standardArgumentCounts: ReadonlyMap<string, number[]> = new Map(
  Object.entries(standardFunctions).map(([name, entry]) => [name, Object.keys(entry.arity).map(Number)]),
);
