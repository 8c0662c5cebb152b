/**
 * One input parameter of an operation, as OperationDefinition.parameter declares it (name, min,
 * max, type), and what its type means for the JSON of a Parameters entry and for a query string
 * value (http://hl7.org/fhir/R4/operationdefinition.html, http://hl7.org/fhir/R4/datatypes.html).
 */

export interface OperationParameter {
  name: string;
  min: number;
  /** '*' or a count, as OperationDefinition.parameter.max. */
  max: number | '*';
  /** A FHIR type: a primitive (string, code, boolean, integer...), a data type (Reference), or Resource / a resource type. */
  type: string;
  /** Further value[x] types an existing operation accepts on input, beside its declared type. */
  alsoAccepts?: readonly string[];
}

const STRING_TYPES = new Set([
  'string', 'code', 'id', 'uri', 'url', 'canonical', 'oid', 'uuid', 'markdown', 'base64Binary',
  'instant', 'dateTime', 'date', 'time',
]);

const INTEGER_TYPES = new Map<string, number>([['integer', -Infinity], ['positiveInt', 1], ['unsignedInt', 0]]);

/** The types of value[x] a parameter accepts, its declared one first. */
export function acceptedTypes(parameter: OperationParameter): string[] {
  return [parameter.type, ...(parameter.alsoAccepts ?? [])];
}

/** A resource travels in Parameters.parameter.resource; anything else in value[x]. */
export function isResourceType(type: string): boolean {
  return /^[A-Z]/.test(type) && !DATA_TYPES.has(type);
}

const DATA_TYPES = new Set([
  'Address', 'Age', 'Annotation', 'Attachment', 'CodeableConcept', 'Coding', 'ContactPoint', 'Count',
  'Distance', 'Duration', 'HumanName', 'Identifier', 'Money', 'Period', 'Quantity', 'Range', 'Ratio',
  'Reference', 'SampledData', 'Signature', 'Timing', 'ContactDetail', 'Contributor', 'DataRequirement',
  'Expression', 'ParameterDefinition', 'RelatedArtifact', 'TriggerDefinition', 'UsageContext', 'Dosage', 'Meta',
]);

/** The element of a Parameters entry that holds a value of this type: valueString, valueReference... */
export function valueKey(type: string): string {
  return `value${type[0].toUpperCase()}${type.slice(1)}`;
}

/** Is this JSON a valid value of the type? (Its JSON shape; a finer format check is the operation's.) */
export function fitsType(type: string, value: unknown): boolean {
  if (STRING_TYPES.has(type)) return typeof value === 'string' && value !== '';
  if (type === 'boolean') return typeof value === 'boolean';
  if (type === 'decimal') return typeof value === 'number' && Number.isFinite(value);
  const lowest = INTEGER_TYPES.get(type);
  if (lowest !== undefined) return typeof value === 'number' && Number.isSafeInteger(value) && value >= lowest;
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A query string value as a value of the type, or undefined when the text is not one. */
export function fromQueryText(type: string, text: string): unknown {
  if (STRING_TYPES.has(type)) return text === '' ? undefined : text;
  if (type === 'boolean') return text === 'true' ? true : text === 'false' ? false : undefined;
  if (type === 'decimal') return /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(text) ? Number(text) : undefined;
  if (INTEGER_TYPES.has(type)) {
    const number = /^-?\d+$/.test(text) ? Number(text) : undefined;
    return number !== undefined && fitsType(type, number) ? number : undefined;
  }
  if (type === 'Reference') return text === '' ? undefined : { reference: text };
  return undefined;
}
