/**
 * Types of FHIRPath values as the compiler tracks them, from the server's model: a FHIR type
 * (`HumanName`, `code`, `Patient`), a backbone element (`Patient.contact`) or a FHIRPath system type
 * (`System.Boolean`). Navigation follows the model's elements (choice types, contentReference); the
 * value class says how a value is compared, computed and stored in a column.
 */
import type { ElementContainer, ElementSchema, FhirModel } from '../../model/index.js';

export interface FhirType {
  /** `HumanName`, `string`, `Patient`, `Patient.contact`, `System.Integer`... */
  name: string;
  /** The elements of a resource, complex type or backbone element. */
  elements?: ElementContainer;
}

export type ValueClass = 'string' | 'integer' | 'decimal' | 'boolean' | 'date' | 'dateTime' | 'time' | 'quantity' | 'resource' | 'object';

const PRIMITIVE_CLASSES: Record<string, ValueClass> = {
  string: 'string', code: 'string', id: 'string', uri: 'string', url: 'string', canonical: 'string', oid: 'string',
  uuid: 'string', markdown: 'string', base64Binary: 'string', xhtml: 'string',
  integer: 'integer', positiveInt: 'integer', unsignedInt: 'integer', integer64: 'integer',
  decimal: 'decimal', boolean: 'boolean', date: 'date', dateTime: 'dateTime', instant: 'dateTime', time: 'time',
  'System.String': 'string', 'System.Integer': 'integer', 'System.Decimal': 'decimal', 'System.Boolean': 'boolean',
  'System.Date': 'date', 'System.DateTime': 'dateTime', 'System.Time': 'time', 'System.Quantity': 'quantity',
};

const QUANTITY_TYPES = new Set(['Quantity', 'Age', 'Count', 'Distance', 'Duration', 'MoneyQuantity', 'SimpleQuantity']);

export const systemType = (name: 'String' | 'Integer' | 'Decimal' | 'Boolean' | 'Date' | 'DateTime' | 'Time'): FhirType =>
  ({ name: `System.${name}` });

/** Whether a type name is a FHIR primitive (or a system type). */
export function isPrimitive(name: string): boolean {
  return Object.hasOwn(PRIMITIVE_CLASSES, name);
}

/** The value class of a FHIR primitive or system type name (undefined for other types). */
export function valueClassOfPrimitive(name: string): ValueClass | undefined {
  return PRIMITIVE_CLASSES[name];
}

export function valueClass(model: FhirModel, type: FhirType): ValueClass {
  const primitive = PRIMITIVE_CLASSES[type.name];
  if (primitive) return primitive;
  if (QUANTITY_TYPES.has(type.name)) return 'quantity';
  if (type.name === 'Resource' || type.name === 'DomainResource' || model.isResourceType(type.name)) return 'resource';
  return 'object';
}

/** The distinct value classes of a list of types. */
export function valueClasses(model: FhirModel, types: FhirType[]): ValueClass[] {
  return [...new Set(types.map((type) => valueClass(model, type)))];
}

/** The type of a resource type or data type by name; undefined when the model has no such type. */
export function namedType(model: FhirModel, name: string): FhirType | undefined {
  if (isPrimitive(name)) return { name };
  const schema = model.getType(name);
  return schema ? { name, elements: schema } : undefined;
}

export interface ElementStep {
  element: ElementSchema;
  /** The types the element may hold: one, or each type of a choice element. */
  options: { key: string; type: FhirType }[];
  isArray: boolean;
  isChoice: boolean;
}

function elementType(model: FhirModel, element: ElementSchema, code: string): FhirType {
  if (element.children) return { name: element.path.replace(/\[x\]$/, ''), elements: element.children };
  if (element.contentReference) {
    const target = model.elementAtPath(element.contentReference);
    const elements = target ? model.childrenOf(target) : undefined;
    return { name: element.contentReference, ...(elements ? { elements } : {}) };
  }
  return namedType(model, code) ?? { name: code };
}

/**
 * The element `name` of a type: by its own name (`value`, giving every type of a choice) or by a
 * choice's typed JSON name (`valueQuantity`). Undefined when the type has no such element.
 */
export function elementStep(model: FhirModel, type: FhirType, name: string): ElementStep | undefined {
  const container = type.elements;
  if (!container) return undefined;
  const element = container.elements.get(name);
  if (element) {
    const codes = element.types.length > 0 ? element.types.map((t) => t.code) : ['Element'];
    const options = element.isChoice
      ? codes.map((code) => ({ key: name + code.charAt(0).toUpperCase() + code.slice(1), type: elementType(model, element, code) }))
      : [{ key: name, type: elementType(model, element, codes[0]) }];
    return { element, options, isArray: element.isArray, isChoice: element.isChoice };
  }
  const binding = container.keys.get(name);
  if (!binding || !binding.element.isChoice) return undefined;
  return {
    element: binding.element,
    options: [{ key: name, type: elementType(model, binding.element, binding.type) }],
    isArray: binding.element.isArray,
    isChoice: false,
  };
}

/** Whether `type` is `ancestor` or derives from it (Patient is a DomainResource and a Resource). */
export function isSubtype(model: FhirModel, type: string, ancestor: string): boolean {
  for (let current: string | undefined = type; current; current = model.getType(current)?.base) {
    if (current === ancestor) return true;
  }
  return false;
}
