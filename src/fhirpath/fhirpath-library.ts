/**
 * The one place in Flint that imports the FHIRPath library (fhirpath.js, https://github.com/HL7/fhirpath.js)
 * and its R4 model. It names the few library shapes the adapter reads (result nodes and internal
 * values) so the rest of the module never touches the library's untyped surface directly.
 */
import fhirpath from 'fhirpath';
import r4Model from 'fhirpath/fhir-context/r4';
import type { Model, UserInvocationTable } from 'fhirpath';

export type LibraryInvocationTable = UserInvocationTable;
export type LibraryModel = Model;

/** The library itself, for the adapter files only. */
export const library = fhirpath;

/** The FHIR R4 model data that ships with the library (choice types, element types, type tree). */
export const r4: Model = r4Model;

/**
 * A result node of the library (its ResourceNode): a value taken from the input, with the node it
 * was reached from, the property name and the array index. `data` is the very object or value of
 * the input (numbers are wrapped in the library's decimal type).
 */
export interface LibraryNode {
  parentResNode: LibraryNode | null;
  /** The model path of the node's type, e.g. `Observation.component` or `HumanName`. */
  path: string | null;
  propName?: string | null;
  index?: number | null;
  data: unknown;
  /** The `_name` sibling of a primitive (its id and extensions), when present. */
  _data: Record<string, unknown> | null;
  fhirNodeDataType: string | null;
}

/** A value of one of the library's own types (decimal, date, dateTime, time, quantity). */
export interface LibraryValue {
  toJSON(): unknown;
  toString(): string;
}

type Constructor = abstract new (...args: never[]) => unknown;

// The library does not export these classes; take them from values it produces. A unit test
// checks that both checks recognise what the library returns.
const resourceNodeClass = (fhirpath.evaluate({ resourceType: 'Basic' }, '%context', {}, r4, {
  resolveInternalTypes: false,
}) as object[])[0].constructor as Constructor;
const libraryValueClass = Object.getPrototypeOf(fhirpath.FP_Decimal) as Constructor;

const contextNode = fhirpath.compile('%context', r4, { resolveInternalTypes: false }) as (resource: object) => unknown[];

/** A resource as the library's node, typed by its resourceType, as the library's own resolve() returns resources. */
export function resourceNode(resource: object): LibraryNode {
  return contextNode(resource)[0] as LibraryNode;
}

export function isLibraryNode(value: unknown): value is LibraryNode {
  return value instanceof resourceNodeClass;
}

export function isLibraryValue(value: unknown): value is LibraryValue {
  return value instanceof libraryValueClass;
}

/** The FHIRPath type of each raw result, e.g. `FHIR.date`, `System.Integer`. */
export function libraryTypes(raw: unknown[]): string[] {
  return fhirpath.types(raw);
}
