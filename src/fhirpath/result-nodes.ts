/**
 * Where in the input JSON each result of an expression lives, for callers that change the input
 * (FHIRPath Patch). The library's result nodes keep the node they were reached from, the property
 * name and the array index; the parent node's data is the very JSON object of the input. So a
 * result's location is (the parent's JSON object, the property's JSON key, the index):
 * - a choice element is reached as `value`; its JSON key is `value` + the type (`valueQuantity`);
 * - the id and extensions of a primitive live in its `_name` sibling (`_birthDate.extension`);
 * - computed values (literals, arithmetic, string functions) have no location.
 */
import type { LibraryNode } from './fhirpath-library.js';
import { isLibraryNode } from './fhirpath-library.js';
import { compileExpression } from './compile-expression.js';
import type { FhirPathOptions } from './evaluate.js';
import { toPlainValue } from './result-values.js';

type JsonObject = Record<string, unknown>;

/** The place of a value in the input: `container[key]`, or `container[key][index]` for a list. */
export interface JsonLocation {
  container: JsonObject;
  /** The JSON property: the element name, with the type for a choice element (`valueQuantity`). */
  key: string;
  /** The element name (`value` for `valueQuantity`). */
  name: string;
  index: number | null;
  /** The model path of the container's type (`Patient`, `Patient.contact`, `HumanName`). */
  containerPath: string | null;
}

export interface FhirPathNode {
  value: unknown;
  /** The element's FHIR type when known (`HumanName`, `date`, `BackboneElement`...). */
  fhirType: string | null;
  /** The model path of the value's type (`Patient.contact`, `HumanName`, `date`), when known. */
  path: string | null;
  /** null for a computed value and for the input itself. */
  location: JsonLocation | null;
}

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The JSON key of a property: itself, or with the type suffix of a choice element. */
function jsonKey(container: JsonObject, node: LibraryNode): string | undefined {
  const name = node.propName;
  if (!name) return undefined;
  if (Object.hasOwn(container, name)) return name;
  const typed = node.fhirNodeDataType ? name + capitalize(node.fhirNodeDataType) : undefined;
  if (typed && Object.hasOwn(container, typed)) return typed;
  return Object.keys(container).find((key) => key.startsWith(name) && /^[A-Z]/.test(key.slice(name.length)));
}

function itemAt(value: unknown, index: number | null | undefined): unknown {
  return index === null || index === undefined ? value : Array.isArray(value) ? value[index] : undefined;
}

/** The JSON object holding a node's children: its data, or its `_name` sibling for a primitive. */
function childObject(node: LibraryNode): JsonObject | undefined {
  if (isObject(node.data)) return node.data;
  const location = locate(node);
  if (!location) return undefined;
  const sibling = itemAt(location.container[`_${location.key}`], location.index);
  return isObject(sibling) ? sibling : undefined;
}

function locate(node: LibraryNode): JsonLocation | null {
  const parent = node.parentResNode;
  if (!parent) return null;
  const container = childObject(parent);
  if (!container) return null;
  const key = jsonKey(container, node);
  if (key === undefined || !node.propName) return null;
  return { container, key, name: node.propName, index: node.index ?? null, containerPath: parent.path };
}

/** Raw library results as nodes with their locations (computed values have none; empty ones are left out). */
export function toFhirPathNodes(raw: unknown[]): FhirPathNode[] {
  const nodes: FhirPathNode[] = [];
  for (const item of raw) {
    const value = toPlainValue(item);
    if (!isLibraryNode(item)) {
      if (value !== undefined) nodes.push({ value, fhirType: null, path: null, location: null });
      continue;
    }
    nodes.push({ value: value ?? null, fhirType: item.fhirNodeDataType, path: item.path, location: locate(item) });
  }
  return nodes;
}

/** Evaluates an expression and reports, for each result, where it lives in the input. */
export function evaluateFhirPathNodes(input: unknown, expression: string, options?: FhirPathOptions): FhirPathNode[] {
  const compiled = compileExpression(expression, { functions: options?.functions, base: options?.base });
  return toFhirPathNodes(compiled.evaluateRaw(input, options?.variables, options?.scope));
}
