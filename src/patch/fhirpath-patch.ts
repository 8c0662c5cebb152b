/**
 * FHIRPath Patch (http://hl7.org/fhir/R4/fhirpatch.html) for PATCH requests with a Parameters body.
 *
 * How an operation finds what to change: its path is evaluated with Flint's FHIRPath engine on a
 * copy of the resource, asking for result nodes rather than values (evaluateFhirPathNodes). The
 * engine's nodes keep the node each result was reached from, the property and the array index,
 * and the parent's data is the very JSON object of the copy; so every result that is an element
 * of the resource comes with its JSON location (object, key, index), whatever the path used to
 * reach it (where(), first(), [n], extension(url), ofType()...). Computed values (literals,
 * arithmetic) have no location and cannot be changed. This keeps the full FHIRPath language for
 * paths without a second path walker that could disagree with the engine.
 *
 * Rules (from the specification): add, insert, replace and move need their path to match exactly
 * one element (insert and move: the items of one list); delete of nothing is not an error, of
 * several is. Errors are FhirErrors (unprocessable) with a stable code and the operation in
 * `expression` (`Parameters.parameter[2]`):
 * patch.invalid-parameters, patch.invalid-operation, patch.invalid-type, patch.invalid-part,
 * patch.missing-part, patch.no-match, patch.multiple-matches, patch.not-an-element,
 * patch.not-a-list, patch.index-out-of-bounds, patch.unknown-element, patch.element-exists,
 * patch.invalid-value, patch.result-not-a-resource; a path that is not valid FHIRPath keeps its
 * fhirpath.* code. The input resource is never modified.
 */
import { cloneFhirJson, FhirError, isFhirError } from '../core/index.js';
import { childTypePath, describeElement, evaluateFhirPathNodes, type FhirPathNode, type JsonLocation } from '../fhirpath/index.js';
import { patchError, readFhirPathPatch, type PatchOperation } from './fhirpath-patch-operation.js';
import { patchErrors } from './patch-errors.js';
import { buildValue, type BuiltValue } from './patch-value.js';
import { insertAt, moveWithin, removeAt, removeEmpty, setAt } from './json-edits.js';

type JsonObject = Record<string, unknown>;

function select(resource: JsonObject, operation: PatchOperation): FhirPathNode[] {
  try {
    return evaluateFhirPathNodes(resource, operation.path);
  } catch (error) {
    if (!isFhirError(error)) throw error;
    throw new FhirError(error.category, error.code, `FHIRPath Patch path '${operation.path}': ${error.message}`, {
      expression: operation.expression,
      cause: error,
    });
  }
}

function single(nodes: FhirPathNode[], operation: PatchOperation): FhirPathNode {
  if (nodes.length === 0) throw patchError('patch.no-match', operation.expression, `no content found at ${operation.path}`);
  if (nodes.length > 1) throw patchError('patch.multiple-matches', operation.expression, `${operation.path} matches ${nodes.length} elements`);
  return nodes[0];
}

function located(node: FhirPathNode, operation: PatchOperation): JsonLocation {
  if (!node.location) throw patchError('patch.not-an-element', operation.expression, `${operation.path} is not an element of the resource`);
  return node.location;
}

/** The list the nodes are the items of: its container, key and current length. */
function listOf(nodes: FhirPathNode[], operation: PatchOperation): JsonLocation & { length: number } {
  if (nodes.length === 0) throw patchError('patch.no-match', operation.expression, `no list found at ${operation.path}`);
  const first = located(nodes[0], operation);
  const items = first.container[first.key];
  const sameList = nodes.every((n) => n.location?.container === first.container && n.location.key === first.key && n.location.index !== null);
  if (!sameList || !Array.isArray(items)) throw patchError('patch.not-a-list', operation.expression, `${operation.path} is not a list`);
  return { ...first, length: items.length };
}

function checkIndex(index: number, max: number, operation: PatchOperation): void {
  if (index > max) throw patchError('patch.index-out-of-bounds', operation.expression, `index ${index} is past the end (${max})`);
}

/** The JSON key for an element that may be a choice (`value` + `Quantity`). */
function keyFor(name: string, choiceTypes: readonly string[] | undefined, built: BuiltValue, operation: PatchOperation): string {
  if (!choiceTypes) return name;
  if (!built.type || !choiceTypes.includes(built.type)) {
    throw patchError('patch.invalid-value', operation.expression, `'${name}' cannot hold a value of type ${built.type ?? 'anonymous'}`);
  }
  return name + built.type;
}

function targetObject(node: FhirPathNode, operation: PatchOperation): JsonObject {
  if (typeof node.value === 'object' && node.value !== null && !Array.isArray(node.value)) return node.value as JsonObject;
  const location = located(node, operation);
  const metaKey = `_${location.key}`;
  if (location.index === null) return (location.container[metaKey] ??= {}) as JsonObject;
  const metas = (location.container[metaKey] ??= (location.container[location.key] as unknown[]).map(() => null)) as (JsonObject | null)[];
  return (metas[location.index] ??= {});
}

function add(resource: JsonObject, operation: PatchOperation): void {
  const node = single(select(resource, operation), operation);
  const container = targetObject(node, operation);
  const name = operation.name!;
  const facts = node.path ? describeElement(node.path, name) : undefined;
  if (node.path && !facts) throw patchError('patch.unknown-element', operation.expression, `'${node.path}' has no element '${name}'`);
  const built = buildValue(operation.value!, facts ? childTypePath(facts) : undefined, operation.expression);
  const key = keyFor(name, facts?.choiceTypes, built, operation);
  const existing = facts?.choiceTypes ? facts.choiceTypes.some((t) => name + t in container) : key in container;
  if (facts?.repeating ?? Array.isArray(container[key])) {
    insertAt(container, key, Array.isArray(container[key]) ? (container[key] as unknown[]).length : 0, built.json, built.meta, built.text);
  } else if (existing) {
    throw patchError('patch.element-exists', operation.expression, `${operation.path} already has '${name}'`);
  } else {
    setAt({ container, key, name, index: null, containerPath: node.path }, key, built.json, built.meta, built.text);
  }
}

function insert(resource: JsonObject, operation: PatchOperation): void {
  const nodes = select(resource, operation);
  const list = listOf(nodes, operation);
  checkIndex(operation.index!, list.length, operation);
  const built = buildValue(operation.value!, nodes[0].path ?? undefined, operation.expression);
  insertAt(list.container, list.key, operation.index!, built.json, built.meta, built.text);
}

function replace(resource: JsonObject, operation: PatchOperation): void {
  const node = single(select(resource, operation), operation);
  const location = located(node, operation);
  const facts = location.containerPath ? describeElement(location.containerPath, location.name) : undefined;
  const typePath = facts ? childTypePath(facts) ?? node.path ?? undefined : node.path ?? undefined;
  const built = buildValue(operation.value!, typePath, operation.expression);
  setAt(location, keyFor(location.name, facts?.choiceTypes, built, operation), built.json, built.meta, built.text);
}

function remove(resource: JsonObject, operation: PatchOperation): void {
  const nodes = select(resource, operation);
  if (nodes.length === 0) return;
  removeAt(located(single(nodes, operation), operation));
}

function move(resource: JsonObject, operation: PatchOperation): void {
  const list = listOf(select(resource, operation), operation);
  checkIndex(operation.source!, list.length - 1, operation);
  checkIndex(operation.destination!, list.length - 1, operation);
  moveWithin(list.container, list.key, operation.source!, operation.destination!);
}

const apply: Record<PatchOperation['type'], (resource: JsonObject, operation: PatchOperation) => void> = {
  add,
  insert,
  replace,
  delete: remove,
  move,
};

/** Applies a FHIRPath Patch (a Parameters resource) to a copy of the resource and returns the copy. */
export function applyFhirPathPatch<T extends object>(resource: T, parameters: unknown): T {
  const operations = readFhirPathPatch(parameters);
  const patched = cloneFhirJson(resource) as JsonObject;
  for (const operation of operations) apply[operation.type](patched, operation);
  removeEmpty(patched);
  if ('resourceType' in resource && patched.resourceType !== (resource as JsonObject).resourceType) {
    throw patchErrors['patch.result-not-a-resource']({ detail: 'FHIRPath Patch must not change the resource type' });
  }
  return patched as T;
}
