/**
 * ElementDefinitions (a base type's snapshot or a profile's differential) -> a tree of element
 * rules. Elements are placed by id (Observation.component:systolic.code); a slice of a choice
 * element named after a type (value[x]:valueQuantity) and a type-specific path
 * (Observation.valueQuantity) become rules for that type of the choice.
 * http://hl7.org/fhir/R4/elementdefinition.html, http://hl7.org/fhir/R4/profiling.html
 */
import { FhirError } from '../../core/index.js';
import type { ElementContainer, ElementDefinition, ElementSchema, FhirModel } from '../../model/index.js';
import { choiceKey, typeCode, typeNameFromCanonical } from '../../model/index.js';
import { compileConstraint, isWalkConstraint, type ConstraintDefinition } from './compile-constraint.js';
import { emptyNode, newRule, type BindingRule, type Discriminator, type ElementRule, type SlicingRule, type TypeRef } from './element-rule.js';
import { validationErrors } from '../validation-errors.js';

type RawType = NonNullable<ElementDefinition['type']>[number];

export interface CompileInput {
  model: FhirModel;
  /** url|version of the definition, for diagnostics. */
  source: string;
  /** The type the definition constrains (Patient, Extension, HumanName). */
  type: string;
  elements: ElementDefinition[];
  /** A base type's snapshot: constraints are compiled for each element's own path. */
  isResource: boolean;
  /** The model's elements of the type (for a new type, compiled from its own snapshot). */
  rootContainer: ElementContainer;
}

export function compileError(source: string, diagnostics: string, expression?: string): FhirError {
  return validationErrors['validation.definition']({ detail: `${source}: ${diagnostics}` }, expression ? { expression } : {});
}

function compileTypes(types: RawType[]): TypeRef[] {
  return types.map((type) => {
    const ref: TypeRef = { code: typeCode(type) };
    if (type.profile?.length) ref.profiles = type.profile;
    if (type.targetProfile?.length) {
      ref.targetProfiles = type.targetProfile;
      ref.targetTypes = type.targetProfile.map(typeNameFromCanonical);
    }
    return ref;
  });
}

function prefixedValue(definition: ElementDefinition, prefix: 'fixed' | 'pattern'): unknown {
  for (const key of Object.keys(definition)) {
    if (key.startsWith(prefix) && key.length > prefix.length && /[A-Z]/.test(key.charAt(prefix.length))) return definition[key];
  }
  return undefined;
}

function compileSlicing(raw: unknown): SlicingRule | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const slicing = raw as { discriminator?: Discriminator[]; rules?: SlicingRule['rules']; ordered?: boolean };
  return {
    discriminators: (slicing.discriminator ?? []).map((d) => ({ type: d.type, path: d.path })),
    rules: slicing.rules ?? 'open',
    ordered: slicing.ordered === true,
  };
}

/** The path an element's constraints are evaluated at: the resource (undefined) or a model path. */
function constraintBase(input: CompileInput, path: string): string | undefined {
  if (!path.includes('.')) return input.isResource ? undefined : path;
  return path.replace(/\[x\]/g, '');
}

function applyDefinition(input: CompileInput, rule: ElementRule, definition: ElementDefinition): void {
  if (definition.min !== undefined) rule.min = definition.min;
  if (definition.max !== undefined) rule.max = definition.max === '*' ? Infinity : Number(definition.max);
  if (definition.type?.length) rule.types = compileTypes(definition.type);
  const fixed = prefixedValue(definition, 'fixed');
  if (fixed !== undefined) rule.fixed = fixed;
  const pattern = prefixedValue(definition, 'pattern');
  if (pattern !== undefined) rule.pattern = pattern;
  const binding = definition.binding as { strength?: string; valueSet?: string } | undefined;
  if (binding?.strength) rule.binding = { strength: binding.strength as BindingRule['strength'], valueSet: binding.valueSet };
  if (typeof definition.maxLength === 'number') rule.maxLength = definition.maxLength;
  const slicing = compileSlicing(definition.slicing);
  if (slicing) rule.slicing = slicing;
  if (definition.contentReference) rule.contentReference = definition.contentReference.replace(/^[^#]*#/, '');
  const base = constraintBase(input, definition.path);
  const skeleton = base === undefined ? { resourceType: input.type } : {};
  for (const constraint of (definition.constraint ?? []) as ConstraintDefinition[]) {
    if (isWalkConstraint(constraint)) {
      if (constraint.key === 'dom-3') (rule.walkConstraints ??= []).push(constraint.key);
      continue;
    }
    try {
      const compiled = compileConstraint(constraint, base, skeleton);
      if (compiled) rule.constraints.push(compiled);
    } catch (error) {
      throw compileError(input.source, `constraint ${constraint.key} on ${definition.id ?? definition.path} does not compile: ${(error as Error).message}`);
    }
  }
}

interface Placement {
  rule: ElementRule;
  /** The model's elements of the rule's children (undefined below primitives or unknown types). */
  container?: ElementContainer;
  schema?: ElementSchema;
}

function containerOf(model: FhirModel, schema: ElementSchema | undefined, rule: ElementRule): ElementContainer | undefined {
  if (!schema) return undefined;
  const restricted = rule.types?.length === 1 ? rule.types[0].code : undefined;
  const code = restricted ?? (schema.types.length === 1 ? schema.types[0].code : undefined);
  if (schema.children || schema.contentReference) return model.childrenOf(schema);
  return code ? model.getType(code) : undefined;
}

function childPlacement(input: CompileInput, parent: Placement, segment: string, id: string): Placement {
  const [rawName, slice] = segment.split(':', 2) as [string, string | undefined];
  const isChoice = rawName.endsWith('[x]');
  const name = isChoice ? rawName.slice(0, -3) : rawName;
  const children = (parent.rule.children ??= emptyNode());
  const parentContainer = parent.container;
  let schema = parentContainer?.elements.get(name);
  let typeCode: string | undefined;
  if (!schema && parentContainer) {
    const binding = input.model.keyBinding(parentContainer, name);
    if (binding?.element.isChoice) {
      schema = binding.element;
      typeCode = binding.type;
    }
  }
  if (!schema && parentContainer) throw compileError(input.source, `the element ${id} does not exist in ${input.type}`, id);
  const elementName = schema?.name ?? name;
  let rule = children.elements.get(elementName);
  if (!rule) {
    rule = newRule(id, `${parent.rule.path}.${schema?.isChoice ? `${elementName}[x]` : rawName}`, elementName, input.source);
    if (schema?.isChoice || isChoice) rule.isChoice = true;
    children.elements.set(elementName, rule);
  }
  if (typeCode) rule = typeRule(rule, typeCode, id, input.source);
  if (slice !== undefined) {
    const choiceType = rule.isChoice ? choiceTypeOfSlice(schema, elementName, slice) : undefined;
    if (choiceType) typeCode = choiceType;
    rule = choiceType ? typeRule(rule, choiceType, id, input.source) : sliceRule(rule, slice, id, input.source);
  }
  const placement: Placement = { rule, schema };
  placement.container = typeCode ? input.model.getType(typeCode) : containerOf(input.model, schema, rule);
  return placement;
}

function choiceTypeOfSlice(schema: ElementSchema | undefined, name: string, slice: string): string | undefined {
  return schema?.types.find((type) => choiceKey(name, type.code) === slice)?.code;
}

function typeRule(rule: ElementRule, code: string, id: string, source: string): ElementRule {
  rule.typeRules ??= new Map();
  let typed = rule.typeRules.get(code);
  if (!typed) {
    typed = newRule(id, rule.path, rule.name, source);
    typed.types = [{ code }];
    rule.typeRules.set(code, typed);
  }
  return typed;
}

function sliceRule(rule: ElementRule, name: string, id: string, source: string): ElementRule {
  rule.slices ??= [];
  let slice = rule.slices.find((candidate) => candidate.name === name);
  if (!slice) {
    slice = { name, rule: newRule(id, rule.path, rule.name, source) };
    slice.rule.isChoice = rule.isChoice;
    rule.slices.push(slice);
  }
  return slice.rule;
}

/** Gives ids to elements without one (old definitions): the path, with the slice of the enclosing sliced element. */
function withIds(elements: ElementDefinition[]): ElementDefinition[] {
  const slices: { path: string; id: string }[] = [];
  return elements.map((element) => {
    if (element.id) return element;
    while (slices.length > 0 && !element.path.startsWith(`${slices[slices.length - 1].path}.`) && element.path !== slices[slices.length - 1].path) slices.pop();
    const enclosing = slices[slices.length - 1];
    const base = enclosing ? enclosing.id + element.path.slice(enclosing.path.length) : element.path;
    const id = element.sliceName ? `${base}:${element.sliceName}` : base;
    if (element.sliceName) slices.push({ path: element.path, id });
    return { ...element, id };
  });
}

/** Compiles the elements into the root rule of the definition. */
export function compileElements(input: CompileInput): ElementRule {
  const elements = withIds(input.elements);
  const root = newRule(input.type, input.type, input.type, input.source);
  const placements = new Map<string, Placement>([[input.type, { rule: root, container: input.rootContainer }]]);
  for (const definition of elements) {
    const id = definition.id as string;
    const segments = id.split('.');
    if (segments[0] !== input.type) throw compileError(input.source, `the element ${id} is not part of ${input.type}`, id);
    let placement = placements.get(input.type) as Placement;
    let prefix = input.type;
    for (const segment of segments.slice(1)) {
      prefix = `${prefix}.${segment}`;
      let next = placements.get(prefix);
      if (!next) {
        next = childPlacement(input, placement, segment, prefix);
        placements.set(prefix, next);
      }
      placement = next;
    }
    applyDefinition(input, placement.rule, definition);
    if (placement.schema && placement.rule.types?.length === 1) placement.container = containerOf(input.model, placement.schema, placement.rule);
  }
  for (const { rule } of placements.values()) {
    if (!rule.contentReference) continue;
    const target = placements.get(rule.contentReference);
    if (!target) throw compileError(input.source, `contentReference #${rule.contentReference} names no element`, rule.id);
    rule.children = (target.rule.children ??= emptyNode());
  }
  return root;
}
