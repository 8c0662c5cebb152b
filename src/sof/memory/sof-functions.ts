/**
 * The FHIRPath functions SQL on FHIR adds or defines for views, as user functions of Flint's
 * FHIRPath engine, for the in-memory runner. Their rules match the SQL the compiler produces:
 * getResourceKey() is the resource id, getReferenceKey([type]) the id of a relative literal
 * reference (Type/id, optionally /_history/n) of that type, join() gives '' for an empty input,
 * and lowBoundary()/highBoundary() follow memory/boundaries.ts.
 * https://sql-on-fhir.org/ig/StructureDefinition-ViewDefinition.html#required-additional-functions
 */
import { isJsonObject } from '../../core/index.js';
import { defineFhirPathFunctions, type FhirPathNode, type FhirPathTypeSpecifier } from '../../fhirpath/index.js';
import { dateBoundary, dateTimeBoundary, decimalBoundary, temporalKind, timeBoundary } from './boundaries.js';
import { decimalSource } from './decimal-json.js';

/** The relative literal reference form, the same pattern as fhir.reference_key() in SQL. */
export const RELATIVE_REFERENCE = /^([A-Z][A-Za-z0-9]*)\/([-.A-Za-z0-9]+)(?:\/_history\/[-.A-Za-z0-9]+)?$/;

export function referenceKey(reference: unknown, type?: string): string | undefined {
  if (typeof reference !== 'string') return undefined;
  const match = RELATIVE_REFERENCE.exec(reference);
  if (!match || (type !== undefined && match[1] !== type)) return undefined;
  return match[2];
}

function sourceText(node: FhirPathNode): string {
  const location = node.location;
  if (location) {
    const holder = location.container[location.key];
    const container = location.index === null ? location.container : holder;
    const key = location.index === null ? location.key : location.index;
    if (typeof container === 'object' && container !== null) {
      const source = decimalSource(container, key);
      if (source !== undefined) return source;
    }
  }
  return String(node.value);
}

function boundaryOf(node: FhirPathNode, low: boolean): unknown {
  const { value, fhirType } = node;
  if (typeof value === 'number') return decimalBoundary(sourceText(node), low);
  if (fhirType === 'Period' && isJsonObject(value)) {
    const edge = low ? value.start : value.end;
    return typeof edge === 'string' ? dateTimeBoundary(edge, low) : undefined;
  }
  if (typeof value !== 'string') return undefined;
  switch (temporalKind(fhirType, value)) {
    case 'date': return dateBoundary(value, low);
    case 'dateTime': return dateTimeBoundary(value, low);
    case 'time': return timeBoundary(value, low);
    default: return undefined;
  }
}

const boundary = (low: boolean) => ({
  arity: { 0: [] },
  nodes: true,
  fn: (input: unknown[]) => (input as FhirPathNode[]).map((node) => boundaryOf(node, low)).filter((value) => value !== undefined),
});

export const SOF_FUNCTIONS = defineFhirPathFunctions({
  getResourceKey: {
    arity: { 0: [] },
    fn: (input: unknown[]) => input.flatMap((item) => (isJsonObject(item) && typeof item.resourceType === 'string' && typeof item.id === 'string' ? [item.id] : [])),
  },
  getReferenceKey: {
    arity: { 0: [], 1: ['TypeSpecifier'] },
    fn: (input: unknown[], type?: FhirPathTypeSpecifier) => input.flatMap((item) => {
      const key = isJsonObject(item) ? referenceKey(item.reference, type?.name) : undefined;
      return key === undefined ? [] : [key];
    }),
  },
  join: {
    arity: { 0: [], 1: ['String'] },
    fn: (input: unknown[], separator?: string) => input.map(String).join(separator ?? ''),
  },
  lowBoundary: boundary(true),
  highBoundary: boundary(false),
});
