/**
 * The shape of an extension as a first-class field, read from the extension's StructureDefinition
 * (snapshot, or differential when there is none): a simple extension holds one value (bare when
 * the definition allows one type, a choice object otherwise); a complex extension holds named parts
 * (its sub-extension slices), each a shape of its own. http://hl7.org/fhir/R4/extensibility.html
 */
import type { ElementDefinition, FhirModel, StructureDefinition } from '../model/index.js';

export interface ExtensionShape {
  url: string;
  /** The field name (top level) or the part name (the slice name) in Aidbox format. */
  name: string;
  /** The field holds an array (the extension may repeat). */
  isArray: boolean;
  kind: 'simple' | 'complex';
  /** Simple extensions: the allowed value types; one type means the value appears bare. */
  valueTypes: string[];
  /** Complex extensions: the parts by name and by url. */
  parts: Map<string, ExtensionShape>;
  partsByUrl: Map<string, ExtensionShape>;
}

/** A definition Flint cannot turn into a first-class field. */
export class ShapeProblem extends Error {}

const MAX_DEPTH = 8;

function elementsOf(definition: StructureDefinition): Map<string, ElementDefinition> {
  const elements = definition.snapshot?.element ?? definition.differential?.element ?? [];
  const byId = new Map<string, ElementDefinition>();
  for (const element of elements) {
    byId.set(element.id ?? (element.sliceName ? `${element.path}:${element.sliceName}` : element.path), element);
  }
  return byId;
}

function repeats(max: string | undefined): boolean {
  return max === undefined || max === '*' || Number(max) > 1;
}

/** The direct sub-extension slices of an element id: Extension.extension:text, not deeper ones. */
function sliceIds(elements: Map<string, ElementDefinition>, prefix: string): string[] {
  const start = `${prefix}.extension:`;
  return [...elements.keys()].filter((id) => id.startsWith(start) && !id.slice(start.length).includes('.'));
}

function allValueTypes(model: FhirModel): string[] {
  const value = model.getType('Extension')?.elements.get('value');
  return value ? value.types.map((type) => type.code) : [];
}

interface ShapeInput {
  model: FhirModel;
  elements: Map<string, ElementDefinition>;
  /** The element id the shape starts at: Extension, or Extension.extension:part. */
  prefix: string;
  url: string;
  name: string;
  isArray: boolean;
  depth: number;
}

function partShape(input: ShapeInput, sliceId: string): ExtensionShape {
  const slice = input.elements.get(sliceId) as ElementDefinition;
  const name = sliceId.slice(sliceId.lastIndexOf(':') + 1);
  const fixed = input.elements.get(`${sliceId}.url`);
  const url = (fixed?.fixedUri ?? fixed?.patternUri) as string | undefined;
  if (url !== undefined) {
    return buildShape({ ...input, prefix: sliceId, url, name, isArray: repeats(slice.max), depth: input.depth + 1 });
  }
  const profile = slice.type?.[0]?.profile?.[0];
  const external = profile ? input.model.canonical.resolve<StructureDefinition>('StructureDefinition', profile) : undefined;
  if (!profile || !external) throw new ShapeProblem(`The sub-extension ${name} has neither a fixed url nor a known profile`);
  return buildShape({
    model: input.model, elements: elementsOf(external), prefix: 'Extension', url: profile.split('|')[0], name,
    isArray: repeats(slice.max), depth: input.depth + 1,
  });
}

function buildShape(input: ShapeInput): ExtensionShape {
  if (input.depth > MAX_DEPTH) throw new ShapeProblem(`Sub-extensions nest deeper than ${MAX_DEPTH} levels`);
  const value = input.elements.get(`${input.prefix}.value[x]`);
  const slices = sliceIds(input.elements, input.prefix);
  const shape: ExtensionShape = {
    url: input.url, name: input.name, isArray: input.isArray, kind: 'simple', valueTypes: [], parts: new Map(), partsByUrl: new Map(),
  };
  if (slices.length > 0 || value?.max === '0') {
    shape.kind = 'complex';
    for (const sliceId of slices) {
      const part = partShape(input, sliceId);
      if (shape.partsByUrl.has(part.url)) throw new ShapeProblem(`Two sub-extensions have the url ${part.url}`);
      shape.parts.set(part.name, part);
      shape.partsByUrl.set(part.url, part);
    }
    return shape;
  }
  const types = value?.type?.map((type) => type.code) ?? [];
  shape.valueTypes = types.length > 0 ? types : allValueTypes(input.model);
  return shape;
}

/** The shape of an extension definition under a field name; throws ShapeProblem when it has none. */
export function extensionShape(model: FhirModel, definition: StructureDefinition, name: string): ExtensionShape {
  const elements = elementsOf(definition);
  const root = elements.get('Extension');
  return buildShape({ model, elements, prefix: 'Extension', url: definition.url, name, isArray: repeats(root?.max), depth: 0 });
}

/** Is the extension a modifier extension (its root element says isModifier)? */
export function isModifierDefinition(definition: StructureDefinition): boolean {
  return elementsOf(definition).get('Extension')?.isModifier === true;
}
