/**
 * Checks of definitions before they are written, so that a clash is refused (422) and nothing is
 * half-created: an annotated extension definition must name a valid field that no element and no
 * other first-class field uses in any object its contexts cover; a type definition must not add an
 * element whose name a first-class field of that type already uses.
 */
import type { Issue, Resource } from '../core/index.js';
import { compileTypeSchema, definesType, type ElementContainer, type FhirModel, type StructureDefinition } from '../model/index.js';
import { contextTargets, type ContextTarget } from './context-targets.js';
import { FORMAT_CODES, formatErrors, type FormatCode } from './format-errors.js';
import {
  bindingOf, firstClassRegistry, isBindingProblem, isExtensionDefinition, REFERENCE_FIELD_NAMES, type FirstClassBinding,
} from './first-class-registry.js';

const MAX_ISSUES = 10;

function issue(code: FormatCode, diagnostics: string, expression: string, type: Issue['type'] = 'business-rule'): Issue {
  return { severity: 'error', type, code, diagnostics, expression: [expression] };
}

function targetsOf(model: FhirModel, binding: FirstClassBinding, issues?: Issue[]): ContextTarget[] {
  const targets: ContextTarget[] = [];
  binding.contexts.forEach((expression, index) => {
    const found = contextTargets(model, expression);
    if (found) targets.push(...found);
    else issues?.push(issue(FORMAT_CODES.unknownContext, `The context ${expression} names no type or element`, `StructureDefinition.context[${index}].expression`, 'value'));
  });
  return targets;
}

function elementClashes(binding: FirstClassBinding, targets: ContextTarget[], issues: Issue[]): void {
  const name = binding.shape.name;
  for (const target of targets) {
    const reserved = target.type === 'Reference' && REFERENCE_FIELD_NAMES.has(name);
    if (target.container.elements.has(name) || target.container.keys.has(name) || reserved) {
      issues.push(issue(FORMAT_CODES.fieldClash,
        `The first-class field ${name} clashes with ${reserved ? 'a key of the Aidbox reference form' : 'the element'} ${target.path}.${name}`,
        `${target.path}.${name}`));
    }
  }
}

function bindingClashes(model: FhirModel, binding: FirstClassBinding, targets: ContextTarget[], issues: Issue[]): void {
  const mine = new Map<ElementContainer, ContextTarget>(targets.map((target) => [target.container, target]));
  for (const other of firstClassRegistry(model).all()) {
    if (other.source === binding.source || other.shape.name !== binding.shape.name) continue;
    const shared = targetsOf(model, other).find((target) => mine.has(target.container));
    if (shared) {
      const path = `${(mine.get(shared.container) as ContextTarget).path}.${binding.shape.name}`;
      issues.push(issue(FORMAT_CODES.fieldClash, `The field ${path} is already the first-class field of ${other.source}`, path));
    }
  }
}

function checkExtensionDefinition(model: FhirModel, definition: StructureDefinition): Issue[] {
  const binding = bindingOf(model, definition);
  if (!binding) return [];
  if (isBindingProblem(binding)) return [issue(binding.code, binding.message, binding.expression, 'value')];
  const issues: Issue[] = [];
  const targets = targetsOf(model, binding, issues);
  elementClashes(binding, targets, issues);
  bindingClashes(model, binding, targets, issues);
  return issues.slice(0, MAX_ISSUES);
}

interface TypeContainer {
  container: ElementContainer;
  path: string;
  keys: string[];
}

/** The root of a new type definition and its inline backbone elements, with their context keys. */
function typeContainers(model: FhirModel, definition: StructureDefinition): TypeContainer[] {
  const schema = compileTypeSchema(definition);
  const registry = firstClassRegistry(model);
  const found: TypeContainer[] = [{ container: schema, path: schema.name, keys: [schema.name, ...(schema.base ? registry.typeChain(schema.base) : [])] }];
  const visit = (container: ElementContainer) => {
    for (const element of container.elements.values()) {
      if (!element.children) continue;
      const keys = [element.path, ...registry.typeChain(element.types[0]?.code ?? 'BackboneElement')];
      found.push({ container: element.children, path: element.path, keys });
      visit(element.children);
    }
  };
  visit(schema);
  return found;
}

function checkTypeDefinition(model: FhirModel, definition: StructureDefinition): Issue[] {
  const bindings = firstClassRegistry(model).all();
  const issues: Issue[] = [];
  for (const { container, path, keys } of typeContainers(model, definition)) {
    for (const binding of bindings) {
      const name = binding.shape.name;
      if (!binding.contexts.some((context) => keys.includes(context))) continue;
      if (container.elements.has(name) || container.keys.has(name)) {
        issues.push(issue(FORMAT_CODES.fieldClash, `The element ${path}.${name} clashes with the first-class field of ${binding.source}`, `${path}.${name}`));
      }
    }
  }
  return issues.slice(0, MAX_ISSUES);
}

/**
 * The problems a definition would cause for the Aidbox format, as issues (none for other
 * resources).
 */
export function formatDefinitionIssues(model: FhirModel, resource: Resource): Issue[] {
  if (resource.resourceType !== 'StructureDefinition') return [];
  const definition = resource as StructureDefinition;
  if (isExtensionDefinition(definition)) return checkExtensionDefinition(model, definition);
  if (definesType(definition) && definition.snapshot && definition.kind !== 'logical') return checkTypeDefinition(model, definition);
  return [];
}

/**
 * The check a StructureDefinition passes before it is committed (a metadata definition check):
 * throws a 422 FhirError with every issue when it would make a field clash, so nothing is written.
 */
export function checkFormatDefinition(resource: Resource, model: FhirModel): void {
  const issues = formatDefinitionIssues(model, resource);
  if (issues.length === 0) return;
  throw formatErrors[issues[0].code as FormatCode]({ detail: issues[0].diagnostics }, { issues });
}
