/**
 * One value of an element: null, a nested resource (contained, Bundle.entry.resource,
 * Parameters.parameter.resource), a primitive (its form, then its rules), or an object walked
 * with the rules of its element, its type, the profiles its type names, and for an extension
 * the extension's definition.
 */
import { isAbsoluteUri, isJsonObject } from '../../core/index.js';
import type { JsonKeyBinding } from '../../model/index.js';
import { constraintRoots } from '../schema/compiled-definition.js';
import type { ElementRule } from '../schema/element-rule.js';
import { primitiveProblem } from '../primitive-check.js';
import { STRUCTURE_CODES, structureIssue } from '../structure-issues.js';
import { checkBindings } from './check-binding.js';
import { checkConstraints } from './check-constraints.js';
import { checkKnownExtension } from '../extension-check.js';
import { checkExtension } from './check-extension.js';
import { noteLocalReference } from './check-contained.js';
import { checkMarkdown, checkStringSize, checkUriValue } from './check-type-rules.js';
import { checkPrimitiveRules } from './check-value.js';
import type { NodeFrame } from './node-frame.js';
import { resolveProfile, validateNestedResource } from './validate-resource.js';
import { validateNode } from './validate-node.js';
import { report, type WalkContext } from './walk-context.js';
import { VALIDATION_CODES as CODES } from '../validation-issues.js';
import { xhtmlProblems } from '../xhtml-check.js';

const RESOURCE_TYPES = new Set(['Resource', 'DomainResource']);

function checkXhtml(walk: WalkContext, div: string, path: string): void {
  for (const problem of xhtmlProblems(div)) {
    if (problem.kind !== 'empty') report(walk, 'error', 'invalid', CODES.xhtml, problem.message, path);
  }
}

/** The constraint roots of the profiles the rules' types name for this type (type.profile). */
function typeProfileRules(walk: WalkContext, rules: readonly ElementRule[], type: string, path: string): ElementRule[] {
  const result: ElementRule[] = [];
  for (const rule of rules) {
    for (const ref of rule.types ?? []) {
      if (ref.code !== type || !ref.profiles || type === 'Extension') continue;
      // Several profiles: the value must conform to one of them; the first known one is checked.
      for (const profile of ref.profiles) {
        const definition = resolveProfile(walk, profile, path);
        if (definition) {
          result.push(...constraintRoots(definition));
          break;
        }
      }
    }
  }
  return result;
}

export function validateItem(walk: WalkContext, value: unknown, binding: JsonKeyBinding, rules: ElementRule[], path: string, parent: NodeFrame): void {
  if (value === null) {
    walk.issues.push(structureIssue(STRUCTURE_CODES.nullValue, 'null is not a valid value', path));
    return;
  }
  const { element, type } = binding;
  if (RESOURCE_TYPES.has(type)) {
    validateNestedResource(walk, value, path, element.name === 'contained');
    return;
  }
  const typeSchema = walk.model.getType(type);
  if (typeSchema?.primitive) {
    const problem = primitiveProblem(typeSchema, value);
    if (problem) walk.issues.push(structureIssue(STRUCTURE_CODES.invalidPrimitive, `${JSON.stringify(value)} ${problem}`, path, 'value'));
    else if (rules.length > 0) {
      if (type === 'xhtml') checkXhtml(walk, value as string, path);
      else if (typeof value === 'string') {
        noteLocalReference(walk, type, element.name, parent.type, value);
        checkStringSize(walk, value, path);
        if (type === 'canonical' || type === 'uri' || type === 'url') checkUriValue(walk, type, value, path);
        else if (type === 'markdown') checkMarkdown(walk, value, path);
      }
      checkPrimitiveRules(walk, value, rules, type, path);
      checkBindings(walk, rules, type, value, path);
      checkConstraints(walk, value, rules, path);
    }
    return;
  }
  const container = walk.model.childrenOf(element, type);
  if (!isJsonObject(value)) {
    walk.issues.push(structureIssue(STRUCTURE_CODES.wrongJsonType, `${element.name} must be a JSON object (${type})`, path));
    return;
  }
  if (!container) return;
  if (type === 'Extension') walk.issues.push(...checkKnownExtension(walk.model, value, path));
  const frame: NodeFrame = {
    container,
    rules,
    path,
    elementPath: `${parent.elementPath}.${element.name}`,
    definitionPath: element.contentReference ?? element.path,
    type,
    extensionUrl: parent.extensionUrl,
    inKnownExtension: parent.inKnownExtension,
  };
  if (!walk.settings.structureOnly) addTypeRules(walk, frame, element.children === undefined && !element.contentReference, value, parent);
  validateNode(walk, value, frame, false);
}

/** [element rule, type root] lists, kept per element rule and type (the common case, no profile). */
const withTypeRoot = new WeakMap<ElementRule, Map<string, ElementRule[]>>();

function plainTypeRules(walk: WalkContext, frame: NodeFrame): ElementRule[] | undefined {
  const [rule] = frame.rules;
  if (frame.rules.length !== 1 || frame.type === 'Extension' || rule.types?.some((type) => type.profiles)) return undefined;
  let byType = withTypeRoot.get(rule);
  if (!byType) withTypeRoot.set(rule, (byType = new Map()));
  let rules = byType.get(frame.type);
  if (!rules) {
    const root = walk.registry.baseRoot(frame.type);
    rules = root ? [rule, root] : [rule];
    byType.set(frame.type, rules);
  }
  return rules;
}

function addTypeRules(walk: WalkContext, frame: NodeFrame, ofType: boolean, value: Record<string, unknown>, parent: NodeFrame): void {
  if (ofType) {
    const plain = plainTypeRules(walk, frame);
    if (plain) {
      frame.rules = plain;
      return;
    }
  }
  const extra: ElementRule[] = [];
  if (ofType) {
    const root = walk.registry.baseRoot(frame.type);
    if (root) extra.push(root);
  }
  extra.push(...typeProfileRules(walk, frame.rules, frame.type, frame.path));
  if (frame.type === 'Extension') {
    const host = { elementPath: parent.elementPath, definitionPath: parent.definitionPath, type: parent.type, extensionUrl: parent.extensionUrl };
    const definitionRules = checkExtension(walk, value, host, parent.type === 'Extension', frame.path);
    extra.push(...definitionRules);
    if (typeof value.url === 'string' && isAbsoluteUri(value.url)) {
      frame.extensionUrl = value.url;
      frame.inKnownExtension = definitionRules.length > 0;
    }
  }
  if (extra.length > 0) frame.rules = [...frame.rules, ...extra];
}
