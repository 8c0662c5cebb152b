/**
 * First-class extensions as data: a StructureDefinition of an extension that carries the annotation
 * extension urn:flint:first-class-field (valueCode: the field name) binds the extension's url to
 * that field wherever its context allows it. The registry is rebuilt from the model whenever a
 * StructureDefinition changes, so bindings follow the definitions the server holds. Built in: the
 * ex:createdAt extension of Meta is the field meta.createdAt.
 */
import type { ElementContainer, FhirModel, StructureDefinition } from '../model/index.js';
import { extensionShape, isModifierDefinition, ShapeProblem, type ExtensionShape } from './extension-shape.js';
import { FORMAT_CODES, type FormatCode } from './format-errors.js';
import type { Frame } from './walk-frame.js';

export const FIRST_CLASS_FIELD_URL = 'urn:flint:first-class-field';
export const CREATED_AT_URL = 'ex:createdAt';

/** Field names: a letter, then letters and digits (the way FHIR names elements). */
export const FIELD_NAME = /^[a-z][A-Za-z0-9]*$/;
/** Keys that Aidbox format gives a meaning of its own. */
export const RESERVED_FIELD_NAMES = new Set(['resourceType']);
/** Keys of the Aidbox form of a Reference. */
export const REFERENCE_FIELD_NAMES = new Set(['resourceType', 'id', 'version', 'uri', 'localRef']);

export interface FirstClassBinding {
  shape: ExtensionShape;
  /** Context expressions (StructureDefinition.context of type element): Patient, Patient.contact, Element. */
  contexts: string[];
  /** The url of the StructureDefinition that defines the binding. */
  source: string;
}

export interface ContainerBindings {
  byName: Map<string, ExtensionShape>;
  byUrl: Map<string, ExtensionShape>;
}

const EMPTY: ContainerBindings = { byName: new Map(), byUrl: new Map() };

/** Where two bindings want one name, the definition with the smaller url wins (a stable rule). */
function bySource(a: FirstClassBinding, b: FirstClassBinding): number {
  return a.source < b.source ? -1 : a.source > b.source ? 1 : 0;
}

export const CREATED_AT_BINDING: FirstClassBinding = {
  shape: { url: CREATED_AT_URL, name: 'createdAt', isArray: false, kind: 'simple', valueTypes: ['instant'], parts: new Map(), partsByUrl: new Map() },
  contexts: ['Meta'],
  source: CREATED_AT_URL,
};

/** The field name an extension definition asks for, if it carries the annotation. */
export function firstClassFieldName(definition: StructureDefinition): string | undefined {
  const extensions = Array.isArray(definition.extension) ? definition.extension as Record<string, unknown>[] : [];
  const annotation = extensions.find((extension) => extension?.url === FIRST_CLASS_FIELD_URL);
  if (!annotation) return undefined;
  const value = annotation.valueCode ?? annotation.valueString;
  return typeof value === 'string' ? value : '';
}

export function isExtensionDefinition(definition: StructureDefinition): boolean {
  return definition.resourceType === 'StructureDefinition' && definition.type === 'Extension' && definition.derivation === 'constraint';
}

/** Why an annotated definition makes no binding. */
export interface BindingProblem {
  code: FormatCode;
  message: string;
  /** Where in the StructureDefinition the problem is. */
  expression: string;
}

function problem(code: FormatCode, message: string, expression: string): BindingProblem {
  return { code, message, expression };
}

/** The binding an annotated extension definition makes, a problem, or undefined without annotation. */
export function bindingOf(model: FhirModel, definition: StructureDefinition): FirstClassBinding | BindingProblem | undefined {
  const name = firstClassFieldName(definition);
  if (name === undefined || !isExtensionDefinition(definition)) return undefined;
  if (!FIELD_NAME.test(name) || RESERVED_FIELD_NAMES.has(name)) {
    return problem(FORMAT_CODES.invalidFieldName, `"${name}" is not a valid field name (a letter a-z, then letters and digits)`,
      'StructureDefinition.extension');
  }
  if (isModifierDefinition(definition)) {
    return problem(FORMAT_CODES.modifierExtension, 'A modifier extension cannot be a first-class field', 'StructureDefinition.snapshot');
  }
  const contexts = (Array.isArray(definition.context) ? definition.context : []) as { type?: string; expression?: string }[];
  if (contexts.length === 0) return problem(FORMAT_CODES.unsupportedContext, 'A first-class field needs a context', 'StructureDefinition.context');
  const index = contexts.findIndex((context) => context?.type !== 'element' || typeof context.expression !== 'string');
  if (index >= 0) {
    return problem(FORMAT_CODES.unsupportedContext, 'First-class fields support contexts of type element only',
      `StructureDefinition.context[${index}]`);
  }
  try {
    const shape = extensionShape(model, definition, name);
    return { shape, contexts: contexts.map((context) => context.expression as string), source: definition.url };
  } catch (error) {
    if (error instanceof ShapeProblem) return problem(FORMAT_CODES.invalidDefinition, error.message, 'StructureDefinition.snapshot');
    throw error;
  }
}

export function isBindingProblem(value: FirstClassBinding | BindingProblem | undefined): value is BindingProblem {
  return value !== undefined && 'code' in value;
}

/**
 * Per url, the newest version of the extension definition that carries the annotation. So a copy of
 * a core extension posted with the annotation binds it even when the core version reads as newer.
 */
function annotatedDefinitions(model: FhirModel): StructureDefinition[] {
  const chosen = new Map<string, StructureDefinition>();
  for (const definition of model.canonical.all<StructureDefinition>('StructureDefinition', true)) {
    if (chosen.has(definition.url) || !isExtensionDefinition(definition)) continue;
    if (firstClassFieldName(definition) !== undefined) chosen.set(definition.url, definition);
  }
  return [...chosen.values()];
}

export class FirstClassRegistry {
  private dirty = true;
  private bindings: FirstClassBinding[] = [];
  private byContext = new Map<string, FirstClassBinding[]>();
  private readonly cache = new Map<string, ContainerBindings>();
  private readonly bases = new Map<string, string[]>();
  /** Definitions that make no binding, or lose a clash at run time, with the reason. */
  problems: string[] = [];

  constructor(private readonly model: FhirModel) {
    model.onChange((resource) => {
      if (resource.resourceType === 'StructureDefinition') this.dirty = true;
    });
  }

  all(): FirstClassBinding[] {
    this.refresh();
    return this.bindings;
  }

  private refresh(): void {
    if (!this.dirty) return;
    this.dirty = false;
    this.cache.clear();
    this.bases.clear();
    this.problems = [];
    const bindings = [CREATED_AT_BINDING];
    for (const definition of annotatedDefinitions(this.model)) {
      const binding = bindingOf(this.model, definition);
      if (isBindingProblem(binding)) this.problems.push(`${definition.url}: ${binding.message}`);
      else if (binding) bindings.push(binding);
    }
    bindings.sort(bySource);
    this.bindings = bindings;
    this.byContext = new Map();
    for (const binding of bindings) {
      for (const context of binding.contexts) {
        const list = this.byContext.get(context) ?? [];
        list.push(binding);
        this.byContext.set(context, list);
      }
    }
  }

  /** The type and its bases: Patient, DomainResource, Resource. */
  typeChain(type: string): string[] {
    let chain = this.bases.get(type);
    if (!chain) {
      chain = [];
      for (let name: string | undefined = type; name && !chain.includes(name); name = this.model.getType(name)?.base) chain.push(name);
      this.bases.set(type, chain);
    }
    return chain;
  }

  /** Context expressions that name the object a frame points at. */
  contextKeys(frame: Frame): string[] {
    const keys = new Set<string>([frame.path]);
    if (frame.element) {
      keys.add(frame.element.path);
      if (frame.element.contentReference) keys.add(frame.element.contentReference);
    }
    for (const type of this.typeChain(frame.type)) keys.add(type);
    return [...keys];
  }

  /** The bindings that apply to one object, minus names its own elements (or Aidbox keys) already use. */
  forContainer(container: ElementContainer, frame: Frame): ContainerBindings {
    this.refresh();
    if (this.byContext.size === 0) return EMPTY;
    const cacheKey = `${frame.path}|${frame.type}`;
    let found = this.cache.get(cacheKey);
    if (!found) {
      found = this.collect(container, frame);
      this.cache.set(cacheKey, found);
    }
    return found;
  }

  private collect(container: ElementContainer, frame: Frame): ContainerBindings {
    const candidates = new Map<string, FirstClassBinding>();
    for (const key of this.contextKeys(frame)) {
      for (const binding of this.byContext.get(key) ?? []) candidates.set(binding.shape.url, binding);
    }
    if (candidates.size === 0) return EMPTY;
    const result: ContainerBindings = { byName: new Map(), byUrl: new Map() };
    for (const { shape, source } of [...candidates.values()].sort(bySource)) {
      const taken = container.elements.has(shape.name) || container.keys.has(shape.name)
        || (frame.type === 'Reference' && REFERENCE_FIELD_NAMES.has(shape.name));
      const rival = result.byName.get(shape.name);
      if (taken || rival) {
        this.problems.push(`${source}: the field ${shape.name} is taken at ${frame.path} by ${rival ? rival.url : 'an element'}`);
        continue;
      }
      result.byName.set(shape.name, shape);
      result.byUrl.set(shape.url, shape);
    }
    return result.byUrl.size === 0 ? EMPTY : result;
  }
}

const registries = new WeakMap<FhirModel, FirstClassRegistry>();

/** The registry of a model (one per model, kept up to date by the model's change events). */
export function firstClassRegistry(model: FhirModel): FirstClassRegistry {
  let registry = registries.get(model);
  if (!registry) {
    registry = new FirstClassRegistry(model);
    registries.set(model, registry);
  }
  return registry;
}
