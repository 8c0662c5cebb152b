/**
 * The compiled shape of a FHIR type: its elements with cardinalities, types (choice types spelled
 * out as JSON keys), reference targets and inline children. Built once from StructureDefinition
 * snapshots; every module that walks resources uses it.
 */

export type TypeKind = 'primitive-type' | 'complex-type' | 'resource' | 'logical';

export interface ElementType {
  /** A FHIR type name (string, Quantity, Reference, BackboneElement, ...). */
  code: string;
  /** For Reference and canonical: the allowed target type names (empty means any). */
  targetTypes?: string[];
  /** The profiles the element's value must conform to (type.profile). */
  profiles?: string[];
}

export interface ElementBinding {
  strength: 'required' | 'extensible' | 'preferred' | 'example';
  valueSet?: string;
}

export interface ElementSchema {
  /** Full path as in the StructureDefinition, e.g. Observation.value[x]. */
  path: string;
  /** The name without [x]: value, subject, given. */
  name: string;
  min: number;
  /** Infinity for "*". */
  max: number;
  /** Represented as a JSON array (from the base definition's max). */
  isArray: boolean;
  isChoice: boolean;
  types: ElementType[];
  isSummary: boolean;
  isModifier: boolean;
  binding?: ElementBinding;
  /** For elements that reuse another element's definition (#Questionnaire.item): that path. */
  contentReference?: string;
  /** Children defined inline (BackboneElement and Element-typed elements). */
  children?: ElementContainer;
}

/** What a JSON key of an object resolves to: the element and the concrete type it holds. */
export interface JsonKeyBinding {
  element: ElementSchema;
  type: string;
}

export interface ElementContainer {
  /** Elements by name (value, not value[x]). */
  elements: Map<string, ElementSchema>;
  /** JSON property name -> element and type (valueQuantity -> value[x], Quantity). */
  keys: Map<string, JsonKeyBinding>;
}

export interface PrimitiveInfo {
  /** The JSON type of the value. */
  jsonType: 'string' | 'boolean' | 'number';
  /** The regular expression of the value, from the StructureDefinition: an XML Schema regular expression, translated (xsd-regex.ts). */
  pattern?: RegExp;
}

export interface TypeSchema extends ElementContainer {
  name: string;
  url: string;
  version?: string;
  kind: TypeKind;
  abstract: boolean;
  /** The name of the base type (DomainResource for Patient), if any. */
  base?: string;
  primitive?: PrimitiveInfo;
}

/** valueQuantity from value and Quantity. */
export function choiceKey(name: string, typeCode: string): string {
  return name + typeCode.charAt(0).toUpperCase() + typeCode.slice(1);
}

export function emptyContainer(): ElementContainer {
  return { elements: new Map(), keys: new Map() };
}

export function addElement(container: ElementContainer, element: ElementSchema): void {
  container.elements.set(element.name, element);
  if (element.isChoice) {
    for (const type of element.types) container.keys.set(choiceKey(element.name, type.code), { element, type: type.code });
  } else {
    container.keys.set(element.name, { element, type: element.types[0]?.code ?? 'Element' });
  }
}
