/**
 * The objects a context expression of an extension definition covers
 * (http://hl7.org/fhir/R4/defining-extensions.html#context), as element containers of the model:
 * a type name covers that type and every type derived from it (Element and BackboneElement also
 * cover inline backbone elements); an element path covers the objects that element holds.
 */
import type { ElementContainer, ElementSchema, FhirModel, StructureDefinition, TypeSchema } from '../model/index.js';

export interface ContextTarget {
  container: ElementContainer;
  /** Where the container sits, for messages: Patient, Patient.contact, HumanName. */
  path: string;
  /** The FHIR type of the objects (Reference for references). */
  type: string;
}

/** Every type schema of the model (resources, data types, primitives). */
export function allTypes(model: FhirModel): TypeSchema[] {
  const types = new Map<string, TypeSchema>();
  for (const definition of model.canonical.all<StructureDefinition>('StructureDefinition')) {
    const type = model.getType(definition.type);
    if (type && type.url === definition.url) types.set(type.name, type);
  }
  return [...types.values()];
}

function derivesFrom(model: FhirModel, type: TypeSchema, base: string): boolean {
  const seen = new Set<string>();
  for (let current: TypeSchema | undefined = type; current && !seen.has(current.name); current = current.base ? model.getType(current.base) : undefined) {
    if (current.name === base) return true;
    seen.add(current.name);
  }
  return false;
}

function inlineChildren(container: ElementContainer, onlyBackbone: boolean, found: ContextTarget[]): void {
  for (const element of container.elements.values()) {
    if (!element.children) continue;
    const type = element.types[0]?.code ?? 'Element';
    if (!onlyBackbone || type === 'BackboneElement') found.push({ container: element.children, path: element.path, type });
    inlineChildren(element.children, onlyBackbone, found);
  }
}

function typeTargets(model: FhirModel, name: string): ContextTarget[] {
  const targets: ContextTarget[] = [];
  const types = allTypes(model);
  for (const type of types) {
    if (derivesFrom(model, type, name)) targets.push({ container: type, path: type.name, type: type.name });
  }
  if (name === 'Element' || name === 'BackboneElement') {
    for (const type of types) inlineChildren(type, name === 'BackboneElement', targets);
  }
  return targets;
}

function elementTargets(model: FhirModel, element: ElementSchema, path: string): ContextTarget[] {
  if (element.children || element.contentReference) {
    const children = model.childrenOf(element);
    return children ? [{ container: children, path, type: element.types[0]?.code ?? 'BackboneElement' }] : [];
  }
  const targets: ContextTarget[] = [];
  for (const { code } of element.types) {
    const type = model.getType(code);
    if (!type) continue;
    const container = type.kind === 'primitive-type' ? model.getType('Element') : type;
    if (container) targets.push({ container, path, type: code });
  }
  return targets;
}

/** The containers a context expression covers; undefined when the expression names nothing. */
export function contextTargets(model: FhirModel, expression: string): ContextTarget[] | undefined {
  if (model.getType(expression)) return typeTargets(model, expression);
  const element = model.elementAtPath(expression);
  return element ? elementTargets(model, element, expression) : undefined;
}
