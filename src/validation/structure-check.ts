/**
 * Structural checks of a resource against the model: known resourceType, valid id, only elements
 * the definition has, arrays exactly where the definition repeats, primitives of the right form,
 * primitive extensions (_element) aligned with their values, contained and nested resources checked
 * by their own type. Cardinality, bindings and invariants belong to full profile validation.
 */
import { isJsonObject, isValidId, type Issue, type JsonObject } from '../core/index.js';
import type { ElementContainer, ElementSchema, FhirModel, JsonKeyBinding } from '../model/index.js';
import { checkKnownExtension } from './extension-check.js';
import { primitiveProblem } from './primitive-check.js';
import { STRUCTURE_CODES as CODES, structureIssue } from './structure-issues.js';

interface Walk {
  model: FhirModel;
  issues: Issue[];
}

const RESOURCE_TYPES = new Set(['Resource', 'DomainResource']);

/** Checks a resource (top level, contained, or nested in a Bundle or Parameters). */
export function checkResource(walk: Walk, value: unknown, path: string): void {
  if (!isJsonObject(value)) {
    walk.issues.push(structureIssue(CODES.notAnObject, 'A resource must be a JSON object', path));
    return;
  }
  const resourceType = value.resourceType;
  const type = typeof resourceType === 'string' ? walk.model.getType(resourceType) : undefined;
  if (!type || type.kind !== 'resource') {
    walk.issues.push(structureIssue(CODES.unknownType, `Unknown resourceType ${JSON.stringify(resourceType)}`, `${path}.resourceType`.replace(/^\./, '')));
    return;
  }
  if (type.abstract) {
    walk.issues.push(structureIssue(CODES.abstractType, `${resourceType} is abstract and cannot be instantiated`, path || String(resourceType)));
    return;
  }
  const here = path || type.name;
  if (value.id !== undefined && !isValidId(value.id)) {
    walk.issues.push(structureIssue(CODES.invalidId, `${JSON.stringify(value.id)} is not a valid id`, `${here}.id`, 'value'));
  }
  checkObject(walk, value, type, here, true);
}

function checkObject(walk: Walk, value: JsonObject, container: ElementContainer, path: string, isResource = false): void {
  const keys = Object.keys(value);
  if (keys.length === 0) walk.issues.push(structureIssue(CODES.emptyObject, 'An element must not be an empty object', path));
  for (const key of keys) {
    if (isResource && key === 'resourceType') continue;
    const childPath = `${path}.${key}`;
    if (key.startsWith('_')) {
      checkPrimitiveExtension(walk, value, key, container, childPath);
      continue;
    }
    const binding = walk.model.keyBinding(container, key);
    if (!binding) {
      walk.issues.push(structureIssue(CODES.unknownElement, `Unknown element "${key}"`, childPath));
      continue;
    }
    checkElementValue(walk, value[key], binding, childPath);
  }
}

function checkElementValue(walk: Walk, value: unknown, binding: JsonKeyBinding, path: string): void {
  const { element } = binding;
  if (Array.isArray(value)) {
    if (!element.isArray) walk.issues.push(structureIssue(CODES.unexpectedArray, `${element.name} takes one value, not an array`, path));
    else if (value.length === 0) walk.issues.push(structureIssue(CODES.emptyArray, 'Arrays must not be empty', path));
    value.forEach((item, index) => checkSingleValue(walk, item, binding, `${path}[${index}]`));
    return;
  }
  if (element.isArray) {
    walk.issues.push(structureIssue(CODES.expectedArray, `${element.name} repeats and must be an array`, path));
  }
  checkSingleValue(walk, value, binding, path);
}

function checkSingleValue(walk: Walk, value: unknown, binding: JsonKeyBinding, path: string): void {
  if (value === null) {
    walk.issues.push(structureIssue(CODES.nullValue, 'null is not a valid value', path));
    return;
  }
  if (RESOURCE_TYPES.has(binding.type)) {
    checkResource(walk, value, path);
    return;
  }
  const type = walk.model.getType(binding.type);
  if (type?.primitive) {
    const problem = primitiveProblem(type, value);
    if (problem) walk.issues.push(structureIssue(CODES.invalidPrimitive, `${JSON.stringify(value)} ${problem}`, path, 'value'));
    return;
  }
  const children = walk.model.childrenOf(binding.element, binding.type);
  if (!isJsonObject(value)) {
    walk.issues.push(structureIssue(CODES.wrongJsonType, `${binding.element.name} must be a JSON object (${binding.type})`, path));
    return;
  }
  if (children) checkObject(walk, value, children, path);
  if (binding.type === 'Extension') walk.issues.push(...checkKnownExtension(walk.model, value, path));
}

function isPrimitiveElement(walk: Walk, element: ElementSchema, typeCode: string): boolean {
  return element.types.length > 0 && walk.model.getType(typeCode)?.kind === 'primitive-type';
}

/** _given: an object (or array aligned with given, null where a value has no extension). */
function checkPrimitiveExtension(walk: Walk, owner: JsonObject, key: string, container: ElementContainer, path: string): void {
  const binding = walk.model.keyBinding(container, key.slice(1));
  const extensionType = walk.model.getType('Element');
  if (!binding || !isPrimitiveElement(walk, binding.element, binding.type) || !extensionType) {
    walk.issues.push(structureIssue(CODES.unknownElement, `Unknown element "${key}"`, path));
    return;
  }
  const value = owner[key];
  const items = Array.isArray(value) ? value : [value];
  const values = owner[key.slice(1)];
  if (Array.isArray(value) !== binding.element.isArray
    || (Array.isArray(value) && Array.isArray(values) && values.length !== value.length)) {
    walk.issues.push(structureIssue(CODES.primitiveExtensionMismatch, `${key} does not line up with ${key.slice(1)}`, path));
    return;
  }
  items.forEach((item, index) => {
    const itemPath = Array.isArray(value) ? `${path}[${index}]` : path;
    if (item === null) {
      if (!Array.isArray(value)) walk.issues.push(structureIssue(CODES.nullValue, 'null is not a valid value', itemPath));
    } else if (!isJsonObject(item)) {
      walk.issues.push(structureIssue(CODES.wrongJsonType, `${key} must hold objects with id and extension`, itemPath));
    } else checkObject(walk, item, extensionType, itemPath);
  });
}

/** Every structural problem of a resource, as issues with the element's path in expression. */
export function checkStructure(model: FhirModel, resource: unknown): Issue[] {
  const walk: Walk = { model, issues: [] };
  checkResource(walk, resource, '');
  return walk.issues;
}
