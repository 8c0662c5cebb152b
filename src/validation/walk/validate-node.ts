/**
 * The walk over an object: its own rules (invariants, fixed and pattern values, bindings,
 * references, extensions), then each JSON key (known element, array or single value,
 * cardinality, allowed types, slicing) and each value, then the required elements that are
 * missing. Structural problems use the structure codes, everything else the validation codes.
 */
import { isJsonObject, type JsonObject } from '../../core/index.js';
import type { ElementSchema, JsonKeyBinding } from '../../model/index.js';
import type { ElementRule, NodeRules } from '../schema/element-rule.js';
import { STRUCTURE_CODES, structureIssue } from '../structure-issues.js';
import { VALIDATION_CODES as CODES } from '../validation-issues.js';
import { CODED_TYPES, checkBindings, checkCoding } from './check-binding.js';
import { checkConstraints, checkHasContent } from './check-constraints.js';
import { checkReference } from './check-reference.js';
import { checkSlicing, type SlicedItem } from './check-slicing.js';
import { checkAttachment } from './check-type-rules.js';
import { checkValueRules } from './check-value.js';
import type { NodeFrame } from './node-frame.js';
import { validateItem } from './validate-item.js';
import { report, type WalkContext } from './walk-context.js';

const requiredCache = new WeakMap<NodeRules, ElementRule[]>();

function requiredOf(node: NodeRules): ElementRule[] {
  let required = requiredCache.get(node);
  if (!required) {
    required = [...node.elements.values()].filter((rule) => (rule.min ?? 0) > 0 || rule.slices?.some((slice) => (slice.rule.min ?? 0) > 0));
    requiredCache.set(node, required);
  }
  return required;
}

function checkOwnRules(walk: WalkContext, value: JsonObject, frame: NodeFrame): void {
  checkConstraints(walk, value, frame.rules, frame.path);
  checkValueRules(walk, value, frame.rules, frame.path);
  checkBindings(walk, frame.rules, frame.type, value, frame.path);
  if (frame.type === 'Reference') checkReference(walk, value, frame.rules, frame.path);
  else if (frame.type === 'Coding') checkCoding(walk, value, frame.path);
  else if (frame.type === 'Attachment') checkAttachment(walk, value, frame.path);
}

/** Does the object hold the element (name, _name, or a choice key nameType)? */
function isPresent(walk: WalkContext, frame: NodeFrame, keys: string[], name: string): boolean {
  for (const key of keys) {
    const bare = key.charCodeAt(0) === 95 ? key.slice(1) : key;
    if (bare === name) return true;
    if (bare.length > name.length && bare.startsWith(name) && walk.model.keyBinding(frame.container, bare)?.element.name === name) return true;
  }
  return false;
}

function checkMissing(walk: WalkContext, frame: NodeFrame, keys: string[]): void {
  for (const rule of frame.rules) {
    if (!rule.children) continue;
    for (const child of requiredOf(rule.children)) {
      if (isPresent(walk, frame, keys, child.name)) continue;
      if ((child.min ?? 0) > 0) {
        report(walk, 'error', 'required', CODES.cardinalityMin,
          `${child.path}: minimum required = ${child.min}, but only found 0 (from ${child.source})`, frame.path);
      }
      for (const slice of child.slices ?? []) {
        if ((slice.rule.min ?? 0) === 0) continue;
        report(walk, 'error', 'required', CODES.sliceCardinalityMin,
          `Slice ${child.path}:${slice.name}: minimum required = ${slice.rule.min}, but only found 0 (from ${slice.rule.source})`, frame.path);
      }
    }
  }
}

/** Walks an object (a resource's body, a data type value, a backbone element). */
export function validateNode(walk: WalkContext, value: JsonObject, frame: NodeFrame, isResource: boolean): void {
  const keys = Object.keys(value);
  if (keys.length === 0) walk.issues.push(structureIssue(STRUCTURE_CODES.emptyObject, 'An element must not be an empty object', frame.path));
  const full = !walk.settings.structureOnly;
  if (full) {
    checkHasContent(walk, value, keys, frame.path);
    checkOwnRules(walk, value, frame);
  }
  for (const key of keys) {
    if (isResource && key === 'resourceType') continue;
    const childPath = `${frame.path}.${key}`;
    if (key.charCodeAt(0) === 95) {
      validatePrimitiveExtension(walk, value, key, frame, childPath);
      continue;
    }
    const binding = walk.model.keyBinding(frame.container, key);
    if (!binding) {
      walk.issues.push(structureIssue(STRUCTURE_CODES.unknownElement, `Unknown element "${key}"`, childPath));
      continue;
    }
    validateElement(walk, value[key], binding, frame, childPath);
  }
  if (full) checkMissing(walk, frame, keys);
}

const NO_RULES: ElementRule[] = [];
const singleRule = new WeakMap<ElementRule, ElementRule[]>();

function childRulesOf(frame: NodeFrame, binding: JsonKeyBinding): ElementRule[] {
  if (frame.rules.length === 1) {
    // The common case (no profile): one rule, its list kept so nothing is allocated per value.
    const child = frame.rules[0].children?.elements.get(binding.element.name);
    if (!child) return NO_RULES;
    if (!child.typeRules) {
      let list = singleRule.get(child);
      if (!list) singleRule.set(child, (list = [child]));
      return list;
    }
  }
  const rules: ElementRule[] = [];
  for (const rule of frame.rules) {
    const child = rule.children?.elements.get(binding.element.name);
    if (!child) continue;
    rules.push(child);
    const typed = child.typeRules?.get(binding.type);
    if (typed) rules.push(typed);
  }
  return rules;
}

function checkElementRules(walk: WalkContext, rules: ElementRule[], binding: JsonKeyBinding, count: number, path: string): void {
  for (const rule of rules) {
    if (rule.min !== undefined && count < rule.min) {
      report(walk, 'error', 'required', CODES.cardinalityMin, `${rule.path}: minimum required = ${rule.min}, but only found ${count} (from ${rule.source})`, path);
    }
    if (rule.max !== undefined && count > rule.max) {
      report(walk, 'error', 'invalid', CODES.cardinalityMax,
        `${rule.path}: maximum allowed = ${rule.max}, but found ${count} (from ${rule.source})`, path);
    }
    if (rule.types && (binding.element.isChoice || rule.isChoice) && !rule.types.some((type) => type.code === binding.type)) {
      report(walk, 'error', 'invalid', CODES.typeNotAllowed,
        `The type ${binding.type} is not allowed for ${rule.path} (allowed: ${rule.types.map((type) => type.code).join(', ')}; from ${rule.source})`, path);
    }
  }
}

function validateElement(walk: WalkContext, value: unknown, binding: JsonKeyBinding, frame: NodeFrame, path: string): void {
  const { element } = binding;
  const isArray = Array.isArray(value);
  if (isArray) {
    if (!element.isArray) walk.issues.push(structureIssue(STRUCTURE_CODES.unexpectedArray, `${element.name} takes one value, not an array`, path));
    else if (value.length === 0) walk.issues.push(structureIssue(STRUCTURE_CODES.emptyArray, 'Arrays must not be empty', path));
  } else if (element.isArray) {
    walk.issues.push(structureIssue(STRUCTURE_CODES.expectedArray, `${element.name} repeats and must be an array`, path));
  }
  const rules = walk.settings.structureOnly ? NO_RULES : childRulesOf(frame, binding);
  const count = isArray ? value.length : 1;
  if (rules.length > 0) checkElementRules(walk, rules, binding, count, path);
  if (hasSlices(rules)) {
    const values: unknown[] = isArray ? value : [value];
    const items: SlicedItem[] = values.map((item, index) => ({ value: item, type: binding.type, path: isArray ? `${path}[${index}]` : path }));
    const sliced = sliceItems(walk, rules, items, path);
    items.forEach((item, index) => {
      const itemRules = sliced?.[index] ? [...rules, ...(sliced[index] as ElementRule[])] : rules;
      validateItem(walk, item.value, binding, itemRules, item.path, frame);
    });
    return;
  }
  if (!isArray) {
    validateItem(walk, value, binding, rules, path, frame);
    return;
  }
  for (let index = 0; index < value.length; index++) validateItem(walk, value[index], binding, rules, `${path}[${index}]`, frame);
}

function hasSlices(rules: ElementRule[]): boolean {
  for (const rule of rules) if (rule.slices !== undefined) return true;
  return false;
}

function sliceItems(walk: WalkContext, rules: ElementRule[], items: SlicedItem[], path: string): (ElementRule[] | undefined)[] | undefined {
  let result: (ElementRule[] | undefined)[] | undefined;
  for (const rule of rules) {
    if (!rule.slices) continue;
    const matched = checkSlicing(walk, rule, items, path, walk.conforms);
    result ??= new Array(items.length);
    matched.forEach((slice, index) => {
      if (!slice || !result) return;
      (result[index] ??= []).push(slice);
    });
  }
  return result;
}

/** A code element under a required binding that has extensions but no value (data absent) breaks the binding. */
function checkBoundWithoutCode(walk: WalkContext, frame: NodeFrame, binding: JsonKeyBinding, values: unknown, items: unknown[], path: string): void {
  const required = childRulesOf(frame, binding).find((rule) => rule.binding?.strength === 'required' && rule.binding.valueSet);
  if (!required || !CODED_TYPES.has(binding.type)) return;
  items.forEach((item, index) => {
    const value = Array.isArray(values) ? values[index] : values;
    if (item !== null && (value === undefined || value === null)) {
      report(walk, 'error', 'code-invalid', CODES.bindingNoCode,
        `No code provided, and a code is required from the value set ${required.binding?.valueSet}`, Array.isArray(values) || Array.isArray(items) && items.length > 1 ? `${path}[${index}]` : path);
    }
  });
}

function isPrimitiveElement(walk: WalkContext, element: ElementSchema, typeCode: string): boolean {
  return element.types.length > 0 && walk.model.getType(typeCode)?.kind === 'primitive-type';
}

/** _given: an object (or an array aligned with given, null where a value has no extension). */
function validatePrimitiveExtension(walk: WalkContext, owner: JsonObject, key: string, frame: NodeFrame, path: string): void {
  const binding = walk.model.keyBinding(frame.container, key.slice(1));
  const elementType = walk.model.getType('Element');
  if (!binding || !isPrimitiveElement(walk, binding.element, binding.type) || !elementType) {
    walk.issues.push(structureIssue(STRUCTURE_CODES.unknownElement, `Unknown element "${key}"`, path));
    return;
  }
  const value = owner[key];
  const values = owner[key.slice(1)];
  if (Array.isArray(value) !== binding.element.isArray
    || (Array.isArray(value) && Array.isArray(values) && values.length !== value.length)) {
    walk.issues.push(structureIssue(STRUCTURE_CODES.primitiveExtensionMismatch, `${key} does not line up with ${key.slice(1)}`, path));
    return;
  }
  if (key === '_id' && frame.elementPath === frame.type && walk.model.getType(frame.type)?.kind === 'resource' && !walk.settings.structureOnly) {
    report(walk, 'error', 'business-rule', CODES.extensionContext, 'Extensions are not allowed on the id of a resource', path);
  }
  const items = Array.isArray(value) ? value : [value];
  if (!walk.settings.structureOnly) checkBoundWithoutCode(walk, frame, binding, values, items, path);
  const elementRoot = walk.settings.structureOnly ? undefined : walk.registry.baseRoot('Element');
  items.forEach((item, index) => {
    const itemPath = Array.isArray(value) ? `${path}[${index}]` : path;
    if (item === null) {
      if (!Array.isArray(value)) walk.issues.push(structureIssue(STRUCTURE_CODES.nullValue, 'null is not a valid value', itemPath));
    } else if (!isJsonObject(item)) {
      walk.issues.push(structureIssue(STRUCTURE_CODES.wrongJsonType, `${key} must hold objects with id and extension`, itemPath));
    } else {
      const elementPath = `${frame.elementPath}.${binding.element.name}`;
      validateNode(walk, item, {
        container: elementType,
        rules: elementRoot ? [elementRoot] : [],
        path: itemPath,
        elementPath,
        definitionPath: binding.element.path,
        type: binding.type,
      }, false);
    }
  });
}
