/**
 * StructureDefinition (snapshot) -> TypeSchema. Handles the FHIRPath system types R4 uses for
 * id/url/value elements, choice types, contentReference, and inline BackboneElement children.
 * http://hl7.org/fhir/R4/elementdefinition.html
 */
import type { Resource } from '../core/index.js';
import {
  addElement, emptyContainer, type ElementContainer, type ElementSchema, type ElementType, type PrimitiveInfo,
  type TypeKind, type TypeSchema,
} from './type-schema.js';
import { xsdRegExp } from './xsd-regex.js';

export interface ElementDefinition {
  id?: string;
  path: string;
  sliceName?: string;
  min?: number;
  max?: string;
  base?: { path: string; min: number; max: string };
  type?: { code: string; targetProfile?: string[]; profile?: string[]; extension?: { url: string; valueUrl?: string; valueString?: string }[] }[];
  contentReference?: string;
  isSummary?: boolean;
  isModifier?: boolean;
  binding?: { strength: string; valueSet?: string };
  [key: string]: unknown;
}

export interface StructureDefinition extends Resource {
  resourceType: 'StructureDefinition';
  url: string;
  version?: string;
  name: string;
  type: string;
  kind: TypeKind;
  abstract: boolean;
  derivation?: 'specialization' | 'constraint';
  baseDefinition?: string;
  snapshot?: { element: ElementDefinition[] };
  differential?: { element: ElementDefinition[] };
}

const FHIR_TYPE_EXTENSION = 'http://hl7.org/fhir/StructureDefinition/structuredefinition-fhir-type';
const REGEX_EXTENSION = 'http://hl7.org/fhir/StructureDefinition/regex';
const STRUCTURE_DEFINITION_PREFIX = 'http://hl7.org/fhir/StructureDefinition/';

const SYSTEM_TYPES: Record<string, string> = {
  'http://hl7.org/fhirpath/System.String': 'string',
  'http://hl7.org/fhirpath/System.Boolean': 'boolean',
  'http://hl7.org/fhirpath/System.Integer': 'integer',
  'http://hl7.org/fhirpath/System.Decimal': 'decimal',
  'http://hl7.org/fhirpath/System.Date': 'date',
  'http://hl7.org/fhirpath/System.DateTime': 'dateTime',
  'http://hl7.org/fhirpath/System.Time': 'time',
};

/** A type name from a canonical (http://hl7.org/fhir/StructureDefinition/Patient -> Patient). */
export function typeNameFromCanonical(canonical: string): string {
  const url = canonical.split('|')[0];
  return url.startsWith(STRUCTURE_DEFINITION_PREFIX) ? url.slice(STRUCTURE_DEFINITION_PREFIX.length) : url;
}

/** The type an ElementDefinition.type names: the fhir-type extension, a FHIRPath system type's FHIR name, or its code. */
export function typeCode(type: NonNullable<ElementDefinition['type']>[number]): string {
  const fhirType = type.extension?.find((extension) => extension.url === FHIR_TYPE_EXTENSION)?.valueUrl;
  if (fhirType) return fhirType;
  return SYSTEM_TYPES[type.code] ?? type.code;
}

function compileTypes(definition: ElementDefinition): ElementType[] {
  return (definition.type ?? []).map((type) => {
    const compiled: ElementType = { code: typeCode(type) };
    if (type.targetProfile) compiled.targetTypes = type.targetProfile.map(typeNameFromCanonical);
    if (type.profile) compiled.profiles = type.profile;
    return compiled;
  });
}

function parseMax(max: string | undefined): number {
  return max === undefined || max === '*' ? Infinity : Number(max);
}

function compileElement(definition: ElementDefinition): ElementSchema {
  const last = definition.path.slice(definition.path.lastIndexOf('.') + 1);
  const isChoice = last.endsWith('[x]');
  const element: ElementSchema = {
    path: definition.path,
    name: isChoice ? last.slice(0, -3) : last,
    min: definition.min ?? 0,
    max: parseMax(definition.max),
    isArray: parseMax(definition.base?.max ?? definition.max) > 1,
    isChoice,
    types: compileTypes(definition),
    isSummary: definition.isSummary === true,
    isModifier: definition.isModifier === true,
  };
  if (definition.binding) {
    element.binding = { strength: definition.binding.strength as never, valueSet: definition.binding.valueSet };
  }
  if (definition.contentReference) element.contentReference = definition.contentReference.replace(/^[^#]*#/, '');
  return element;
}

function primitiveInfo(definition: StructureDefinition): PrimitiveInfo {
  const value = definition.snapshot?.element.find((element) => element.path === `${definition.type}.value`);
  const regex = value?.type?.[0]?.extension?.find((extension) => extension.url === REGEX_EXTENSION)?.valueString;
  const name = definition.type;
  const jsonType = name === 'boolean' ? 'boolean'
    : ['integer', 'decimal', 'unsignedInt', 'positiveInt'].includes(name) ? 'number' : 'string';
  return { jsonType, ...(regex ? { pattern: xsdRegExp(regex) } : {}) };
}

/** Compiles a specialization (a base resource or data type) into its schema. */
export function compileTypeSchema(definition: StructureDefinition): TypeSchema {
  const schema: TypeSchema = {
    ...emptyContainer(),
    name: definition.type,
    url: definition.url,
    version: definition.version,
    kind: definition.kind,
    abstract: definition.abstract,
    base: definition.baseDefinition ? typeNameFromCanonical(definition.baseDefinition) : undefined,
  };
  if (definition.kind === 'primitive-type') schema.primitive = primitiveInfo(definition);
  const containers = new Map<string, ElementContainer>([[definition.type, schema]]);
  const elements = new Map<string, ElementSchema>();
  for (const raw of definition.snapshot?.element ?? []) {
    if (raw.sliceName || !raw.path.includes('.')) continue;
    const parentPath = raw.path.slice(0, raw.path.lastIndexOf('.'));
    let parent = containers.get(parentPath);
    if (!parent) {
      const owner = elements.get(parentPath);
      if (!owner) continue; // a child of a slice or of an element we skipped
      owner.children = emptyContainer();
      parent = owner.children;
      containers.set(parentPath, parent);
    }
    const element = compileElement(raw);
    elements.set(raw.path, element);
    addElement(parent, element);
  }
  return schema;
}
