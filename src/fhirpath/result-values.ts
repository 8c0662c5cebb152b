/**
 * Raw library results -> what Flint hands out: plain JSON values (strings, numbers, booleans,
 * objects) with FHIR date/time values as their strings, optionally with the FHIRPath type of each.
 * Objects are the input's own objects (not copies): treat results as read-only.
 */
import { isLibraryNode, isLibraryValue, libraryTypes } from './fhirpath-library.js';

/** One result with its FHIRPath type and, for values taken from the input, its model path. */
export interface TypedValue {
  value: unknown;
  /** `FHIR.<type>` for values of the input (`FHIR.date`), `System.<Type>` for computed ones. */
  type: string;
  /**
   * The model path of a value taken from the input (`Observation.component`, `HumanName`): pass it as
   * `base` to evaluate further expressions on the value with its type known.
   */
  path?: string;
}

/** Plain JSON for one raw item; undefined for items that carry no value (a primitive's metadata only). */
export function toPlainValue(item: unknown): unknown {
  if (isLibraryNode(item)) return plainScalar(item.data);
  return plainScalar(item);
}

function plainScalar(value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  if (isLibraryValue(value)) return value.toJSON();
  if (typeof value === 'bigint') return value.toString();
  return value;
}

export function toPlainValues(raw: unknown[]): unknown[] {
  const values: unknown[] = [];
  for (const item of raw) {
    const value = toPlainValue(item);
    if (value !== undefined) values.push(value);
  }
  return values;
}

export function toTypedValues(raw: unknown[]): TypedValue[] {
  const types = libraryTypes(raw);
  const typed: TypedValue[] = [];
  raw.forEach((item, i) => {
    const value = toPlainValue(item);
    if (value === undefined) return;
    const path = isLibraryNode(item) ? item.path ?? undefined : undefined;
    typed.push(path ? { value, type: types[i], path } : { value, type: types[i] });
  });
  return typed;
}
