/**
 * The stable error codes of the format module (formatErrors, listed in the docs) and the fault the
 * converters throw while they walk a resource. A fault collects its location on the way out (.key
 * and [index] segments) and becomes a FhirError at the entry point, with the full path in the
 * OperationOutcome's expression. The codes of first-class field definitions travel as issues of a
 * definition check (first-class-check.ts) and become one FhirError of the first issue's code.
 */
import { defineErrors, detail, type ErrorCategory, type ErrorSpec, type IssueType } from '../core/index.js';

export const FORMAT_CODES = {
  notAResource: 'format.not-a-resource',
  unknownType: 'format.unknown-type',
  choiceNotObject: 'format.choice-not-object',
  choiceEmpty: 'format.choice-empty',
  choiceMultipleTypes: 'format.choice-multiple-types',
  choiceUnknownType: 'format.choice-unknown-type',
  fhirChoiceKey: 'format.fhir-choice-key',
  referenceAmbiguous: 'format.reference-ambiguous',
  referenceInvalid: 'format.reference-invalid',
  extensionCardinality: 'format.extension-cardinality',
  extensionValue: 'format.extension-value',
  extensionUnknownPart: 'format.extension-unknown-part',
  extensionNotArray: 'format.extension-not-array',
  fieldClash: 'format.field-clash',
  invalidFieldName: 'format.invalid-field-name',
  unsupportedContext: 'format.unsupported-context',
  unknownContext: 'format.unknown-context',
  modifierExtension: 'format.modifier-extension',
  invalidDefinition: 'format.invalid-extension-definition',
} as const;

export type FormatCode = (typeof FORMAT_CODES)[keyof typeof FORMAT_CODES];

function spec(category: ErrorCategory, summary: string, issueType?: IssueType): ErrorSpec<{ detail: string }> {
  return { category, summary, message: detail, ...(issueType ? { issueType } : {}) };
}

/** A body that cannot be converted: 400, issue type structure, the path of the value in the expression. */
const conversion = (summary: string) => spec('invalid', summary, 'structure');
/** A StructureDefinition refused because of what it would do to the Aidbox format: 422. */
const definition = (summary: string) => spec('unprocessable', summary);

export const formatErrors = defineErrors('format', {
  'format.not-a-resource': spec('invalid', 'A body to convert is not a resource (a JSON object with a resourceType)'),
  'format.unknown-type': spec('invalid', 'A body to convert names a resourceType the server does not know'),
  'format.choice-not-object': conversion('Aidbox format: a choice element is not an object keyed by its type'),
  'format.choice-empty': conversion('Aidbox format: a choice object names no type'),
  'format.choice-multiple-types': conversion('Aidbox format: a choice object holds more than one type'),
  'format.choice-unknown-type': conversion('Aidbox format: a choice object names a type the element does not take'),
  'format.fhir-choice-key': conversion('Aidbox format: a choice element is written the FHIR way (valueQuantity)'),
  'format.reference-ambiguous': conversion('Aidbox format: a reference mixes several forms, or its parts disagree'),
  'format.reference-invalid': conversion('Aidbox format: a part of a reference is not valid'),
  'format.extension-cardinality': conversion('A first-class field has one value where it repeats, or the other way round'),
  'format.extension-value': conversion('A first-class field has no value, or a value of the wrong shape'),
  'format.extension-unknown-part': conversion('A first-class field of a complex extension has a part its definition does not name'),
  'format.extension-not-array': conversion('extension is not an array'),
  'format.field-clash': definition('A first-class field would clash with an element or with another first-class field'),
  'format.invalid-field-name': definition('A first-class field name is not a valid field name'),
  'format.unsupported-context': definition('A first-class extension has no context, or one that is not of type element'),
  'format.unknown-context': definition('A first-class extension\'s context names no type or element'),
  'format.modifier-extension': definition('A modifier extension cannot be a first-class field'),
  'format.invalid-extension-definition': definition('A first-class extension definition cannot be read as a field'),
});

/** A problem found during a conversion; `location` grows as the walk unwinds. */
export class ConversionFault extends Error {
  location = '';

  constructor(readonly code: FormatCode, message: string) {
    super(message);
    this.name = 'ConversionFault';
  }
}

export function fault(code: FormatCode, message: string): ConversionFault {
  return new ConversionFault(code, message);
}

/** Adds a path segment (".key" or "[3]") in front of a fault's location; other errors pass unchanged. */
export function locate(error: unknown, segment: string): unknown {
  if (error instanceof ConversionFault) error.location = segment + error.location;
  return error;
}

/** The FhirError a fault becomes at the entry point; the root is the resource type. */
export function toFhirError(error: unknown, root: string): unknown {
  if (!(error instanceof ConversionFault)) return error;
  const expression = `${root}${error.location}`;
  return formatErrors[error.code]({ detail: `${expression}: ${error.message}` }, { expression });
}
