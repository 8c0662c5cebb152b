/**
 * Snapshot generation for resource types defined by a differential only
 * (http://hl7.org/fhir/R4/profiling.html#snapshot, http://hl7.org/fhir/R4/elementdefinition.html).
 * A specialization of DomainResource or Resource gets the base type's elements re-rooted at the new
 * type, then the differential's elements in tree order (parents before children); every element of
 * type BackboneElement or Element gets the id, extension and modifierExtension children of its
 * type. Choice types and contentReference pass through, checked. What cannot compile is an error.
 */
import type { ElementDefinition, StructureDefinition } from './compile-type-schema.js';
import { typeNameFromCanonical } from './compile-type-schema.js';
import { choiceKey } from './type-schema.js';

/** What the generator needs from the model. */
export interface SnapshotSource {
  /** The StructureDefinition of a type (DomainResource, Resource, BackboneElement, Element). */
  structureDefinition(typeName: string): StructureDefinition | undefined;
  /** Whether an element may have this type code. */
  isKnownType(code: string): boolean;
}

export class SnapshotError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SnapshotError';
  }
}

export const SNAPSHOT_BASES = ['DomainResource', 'Resource'];
const TYPE_NAME = /^[A-Z][A-Za-z0-9]*$/;
// Lower camel case as FHIR's own, or lower snake case as Aidbox's types (Client.grant_types); never a
// leading underscore, which FHIR JSON keeps for the extensions of primitives.
const ELEMENT_NAME = /^[a-z][A-Za-z0-9_]*(\[x\])?$/;
const INLINE_TYPES = ['BackboneElement', 'Element'];

/** A snapshot can be generated: a resource specialization of DomainResource or Resource with a differential. */
export function canGenerateSnapshot(definition: StructureDefinition): boolean {
  return definition.kind === 'resource' && definition.derivation === 'specialization'
    && SNAPSHOT_BASES.includes(typeNameFromCanonical(definition.baseDefinition ?? ''))
    && Array.isArray(definition.differential?.element);
}

function reroot(element: ElementDefinition, from: string, to: string): ElementDefinition {
  const swap = (text: string) => (text === from || text.startsWith(`${from}.`) ? to + text.slice(from.length) : text);
  return { ...element, id: swap(element.id ?? element.path), path: swap(element.path) };
}

function parentPath(path: string): string {
  return path.slice(0, path.lastIndexOf('.'));
}

function baseElements(source: SnapshotSource, typeName: string, at: string): ElementDefinition[] {
  const definition = source.structureDefinition(typeName);
  if (!definition?.snapshot) throw new SnapshotError(`The model has no snapshot of ${typeName}`);
  return definition.snapshot.element.slice(1).map((element) => reroot(element, typeName, at));
}

function checkCardinality(element: ElementDefinition): void {
  const { min, max } = element;
  if (!Number.isInteger(min) || (min as number) < 0) throw new SnapshotError(`${element.path}: min must be a non-negative integer`);
  if (typeof max !== 'string' || !/^(\*|\d+)$/.test(max)) throw new SnapshotError(`${element.path}: max must be "*" or a non-negative integer`);
  if (max !== '*' && Number(max) < (min as number)) throw new SnapshotError(`${element.path}: max is less than min`);
}

function checkTypes(source: SnapshotSource, element: ElementDefinition): void {
  const types = element.type ?? [];
  if (element.contentReference !== undefined) {
    if (types.length > 0) throw new SnapshotError(`${element.path}: an element with contentReference has no type`);
    return;
  }
  if (types.length === 0) throw new SnapshotError(`${element.path}: the element needs a type or a contentReference`);
  if (types.length > 1 && !element.path.endsWith('[x]')) throw new SnapshotError(`${element.path}: only choice elements ([x]) have several types`);
  for (const type of types) {
    if (typeof type?.code !== 'string' || !source.isKnownType(type.code)) {
      throw new SnapshotError(`${element.path}: unknown type ${JSON.stringify(type?.code)}`);
    }
  }
}

/** The differential's own element, completed: id, min 0 and max 1 unless given, base = itself. */
function newElement(source: SnapshotSource, raw: ElementDefinition): ElementDefinition {
  const element: ElementDefinition = { ...raw, id: raw.path, min: raw.min ?? 0, max: raw.max ?? '1' };
  checkCardinality(element);
  checkTypes(source, element);
  element.base = { path: element.path, min: element.min as number, max: element.max as string };
  return element;
}

function inlineType(element: ElementDefinition): string | undefined {
  const code = element.type?.length === 1 ? element.type[0].code : undefined;
  return code && INLINE_TYPES.includes(code) ? code : undefined;
}

interface Draft {
  type: string;
  /** Elements by path, in the order they were defined. */
  byPath: Map<string, ElementDefinition>;
  /** Paths whose children are defined inline (the root, BackboneElement and Element elements). */
  containers: Set<string>;
}

function checkPath(draft: Draft, raw: ElementDefinition): void {
  if (typeof raw?.path !== 'string') throw new SnapshotError('Every differential element needs a path');
  if (!raw.path.startsWith(`${draft.type}.`)) throw new SnapshotError(`${raw.path}: paths start with ${draft.type}.`);
  if (raw.sliceName !== undefined) throw new SnapshotError(`${raw.path}: slicing is not supported in a type's differential`);
  const name = raw.path.slice(raw.path.lastIndexOf('.') + 1);
  if (!ELEMENT_NAME.test(name)) throw new SnapshotError(`${raw.path}: "${name}" is not a valid element name`);
  if (!draft.containers.has(parentPath(raw.path))) {
    throw new SnapshotError(`${raw.path}: its parent ${parentPath(raw.path)} is not a BackboneElement or Element defined before it`);
  }
}

function addDifferential(source: SnapshotSource, draft: Draft, differential: ElementDefinition[]): void {
  for (const raw of differential) {
    if (raw?.path === draft.type) {
      const root = draft.byPath.get(draft.type) as ElementDefinition;
      draft.byPath.set(draft.type, { ...root, ...raw, id: draft.type, path: draft.type, base: root.base });
      continue;
    }
    checkPath(draft, raw);
    const existing = draft.byPath.get(raw.path);
    if (existing && existing.base?.path === raw.path) throw new SnapshotError(`${raw.path} is defined twice`);
    if (existing) {
      draft.byPath.set(raw.path, { ...existing, ...raw, id: existing.id, path: existing.path, base: existing.base });
      continue;
    }
    const element = newElement(source, raw);
    draft.byPath.set(element.path, element);
    const inline = inlineType(element);
    if (inline) {
      draft.containers.add(element.path);
      for (const child of baseElements(source, inline, element.path)) draft.byPath.set(child.path, child);
    }
  }
}

function checkContentReferences(draft: Draft): void {
  for (const element of draft.byPath.values()) {
    if (element.contentReference === undefined) continue;
    const target = String(element.contentReference).replace(/^[^#]*#/, '');
    if (!draft.containers.has(target) || target === draft.type) {
      throw new SnapshotError(`${element.path}: contentReference ${element.contentReference} names no BackboneElement of ${draft.type}`);
    }
  }
}

/** JSON keys must be unique per object: value[x] as string gives valueString, which no other element may be. */
function checkJsonKeys(draft: Draft): void {
  const keys = new Map<string, string>();
  for (const element of draft.byPath.values()) {
    if (element.path === draft.type) continue;
    const name = element.path.slice(element.path.lastIndexOf('.') + 1);
    const owner = parentPath(element.path);
    const names = name.endsWith('[x]') ? (element.type ?? []).map((type) => choiceKey(name.slice(0, -3), type.code)) : [name];
    for (const key of names) {
      const seen = keys.get(`${owner}.${key}`);
      if (seen && seen !== element.path) throw new SnapshotError(`${element.path}: the JSON name ${key} is also used by ${seen}`);
      keys.set(`${owner}.${key}`, element.path);
    }
  }
}

/** Parents before children, siblings in definition order. */
function treeOrder(draft: Draft): ElementDefinition[] {
  const children = new Map<string, ElementDefinition[]>();
  for (const element of draft.byPath.values()) {
    if (element.path === draft.type) continue;
    const parent = parentPath(element.path);
    children.set(parent, [...(children.get(parent) ?? []), element]);
  }
  const ordered: ElementDefinition[] = [];
  const visit = (element: ElementDefinition) => {
    ordered.push(element);
    for (const child of children.get(element.path) ?? []) visit(child);
  };
  visit(draft.byPath.get(draft.type) as ElementDefinition);
  return ordered;
}

/** The snapshot elements of a resource type defined by its differential. Throws SnapshotError. */
export function generateSnapshot(definition: StructureDefinition, source: SnapshotSource): ElementDefinition[] {
  const type = definition.type;
  if (typeof type !== 'string' || !TYPE_NAME.test(type)) throw new SnapshotError(`${JSON.stringify(type)} is not a valid resource type name`);
  if (!canGenerateSnapshot(definition)) {
    throw new SnapshotError('A snapshot is generated only for resource specializations of DomainResource or Resource with a differential');
  }
  const base = typeNameFromCanonical(definition.baseDefinition as string);
  const root: ElementDefinition = { id: type, path: type, min: 0, max: '*', base: { path: type, min: 0, max: '*' } };
  const draft: Draft = { type, byPath: new Map([[type, root]]), containers: new Set([type]) };
  for (const element of baseElements(source, base, type)) draft.byPath.set(element.path, element);
  addDifferential(source, draft, definition.differential?.element ?? []);
  checkContentReferences(draft);
  checkJsonKeys(draft);
  return treeOrder(draft);
}
