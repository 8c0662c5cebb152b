/**
 * The server's model of FHIR: every type with its elements, the canonical resources (profiles,
 * value sets, code systems), search parameters and compartments. Built from the core package at
 * start and changed when definitions are added or removed at run time; listeners hear of changes.
 */
import type { Resource } from '../core/index.js';
import { CanonicalRegistry, isCanonicalResource } from './canonical-registry.js';
import { compileTypeSchema, type StructureDefinition } from './compile-type-schema.js';
import { CompartmentRegistry, type CompartmentDefinitionResource } from './compartment-registry.js';
import { describeExtension, isExtensionDefinition, type ExtensionDefinition } from './extension-definitions.js';
import { canGenerateSnapshot, generateSnapshot } from './generate-snapshot.js';
import { SearchParameterRegistry, type SearchParameterResource } from './search-parameter-registry.js';
import type { ElementContainer, ElementSchema, JsonKeyBinding, TypeSchema } from './type-schema.js';

export type ModelChangeListener = (resource: Resource, change: 'added' | 'removed') => void;

/** Is this StructureDefinition a type of its own (a specialization or one of the base definitions)? */
export function definesType(definition: StructureDefinition): boolean {
  return definition.derivation === 'specialization' || (definition.derivation === undefined && !definition.baseDefinition);
}

export class FhirModel {
  readonly canonical = new CanonicalRegistry();
  readonly searchParameters = new SearchParameterRegistry();
  readonly compartments = new CompartmentRegistry();
  private readonly types = new Map<string, TypeSchema>();
  private readonly listeners = new Set<ModelChangeListener>();
  private resourceTypeList?: string[];
  private extensions = new Map<string, ExtensionDefinition | null>();
  private extensionsRevision = -1;
  /** Increases on every change; caches keyed on the model compare it. */
  revision = 0;

  addDefinition(input: Resource): void {
    const resource = input.resourceType === 'StructureDefinition' ? this.withSnapshot(input as StructureDefinition) : input;
    if (isCanonicalResource(resource)) this.canonical.add(resource);
    if (resource.resourceType === 'StructureDefinition') {
      const definition = resource as StructureDefinition;
      if (definesType(definition) && definition.snapshot && definition.kind !== 'logical') {
        this.types.set(definition.type, compileTypeSchema(definition));
        this.resourceTypeList = undefined;
      }
    } else if (resource.resourceType === 'SearchParameter') {
      this.searchParameters.add(resource as SearchParameterResource);
    } else if (resource.resourceType === 'CompartmentDefinition') {
      this.compartments.add(resource as CompartmentDefinitionResource);
    }
    this.changed(resource, 'added');
  }

  removeDefinition(resource: Resource): void {
    if (isCanonicalResource(resource)) this.canonical.remove(resource.resourceType, resource.url, resource.version as string | undefined);
    if (resource.resourceType === 'StructureDefinition') {
      const definition = resource as StructureDefinition;
      const current = this.types.get(definition.type);
      if (current && current.url === definition.url) {
        this.types.delete(definition.type);
        this.resourceTypeList = undefined;
      }
    } else if (resource.resourceType === 'SearchParameter') {
      this.searchParameters.remove((resource as SearchParameterResource).url);
    }
    this.changed(resource, 'removed');
  }

  /**
   * The definition with its snapshot: as given, or generated from the differential for a resource
   * type based on DomainResource or Resource (throws SnapshotError when it cannot be).
   */
  withSnapshot(definition: StructureDefinition): StructureDefinition {
    if (definition.snapshot?.element?.length || !definesType(definition) || !canGenerateSnapshot(definition)) return definition;
    const element = generateSnapshot(definition, {
      structureDefinition: (name) => this.structureDefinition(name),
      isKnownType: (code) => this.types.has(code) || code.startsWith('http://hl7.org/fhirpath/System.'),
    });
    return { ...definition, snapshot: { element } };
  }

  /** The extension definition (a StructureDefinition of type Extension) with this URL, if known. */
  extensionDefinition(url: string): ExtensionDefinition | undefined {
    if (this.extensionsRevision !== this.revision) {
      this.extensions = new Map();
      this.extensionsRevision = this.revision;
    }
    let found = this.extensions.get(url);
    if (found === undefined) {
      const definition = this.canonical.resolve<StructureDefinition & { url: string }>('StructureDefinition', url);
      found = definition && isExtensionDefinition(definition) ? describeExtension(definition) : null;
      this.extensions.set(url, found);
    }
    return found ?? undefined;
  }

  onChange(listener: ModelChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(resource: Resource, change: 'added' | 'removed'): void {
    this.revision++;
    for (const listener of this.listeners) listener(resource, change);
  }

  getType(name: string): TypeSchema | undefined {
    return this.types.get(name);
  }

  /** Concrete resource types, sorted. */
  resourceTypes(): string[] {
    if (!this.resourceTypeList) {
      this.resourceTypeList = [...this.types.values()]
        .filter((type) => type.kind === 'resource' && !type.abstract)
        .map((type) => type.name)
        .sort();
    }
    return this.resourceTypeList;
  }

  isResourceType(name: string): boolean {
    const type = this.types.get(name);
    return type !== undefined && type.kind === 'resource' && !type.abstract;
  }

  /** The StructureDefinition of a type, as loaded. */
  structureDefinition(typeName: string): StructureDefinition | undefined {
    const type = this.types.get(typeName);
    return type ? this.canonical.resolve<StructureDefinition & { url: string }>('StructureDefinition', type.url) : undefined;
  }

  /** The element a path (Observation.component.value[x]) names, following contentReference. */
  elementAtPath(path: string): ElementSchema | undefined {
    const [typeName, ...names] = path.split('.');
    let container: ElementContainer | undefined = this.types.get(typeName);
    let element: ElementSchema | undefined;
    for (const name of names) {
      element = container?.elements.get(name.replace(/\[x\]$/, ''));
      if (!element) return undefined;
      container = this.childrenOf(element);
    }
    return element;
  }

  /** The children of an element holding a value of the given type (inline, by contentReference or by type). */
  childrenOf(element: ElementSchema, typeCode?: string): ElementContainer | undefined {
    if (element.children) return element.children;
    if (element.contentReference) {
      const target = this.elementAtPath(element.contentReference);
      return target ? this.childrenOf(target) : undefined;
    }
    const code = typeCode ?? element.types[0]?.code;
    return code ? this.types.get(code) : undefined;
  }

  /** Resolves a JSON key of an object held by an element container. */
  keyBinding(container: ElementContainer, key: string): JsonKeyBinding | undefined {
    return container.keys.get(key);
  }
}
