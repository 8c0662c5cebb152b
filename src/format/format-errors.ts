/**
 * The stable error codes of the format module and the fault the converters throw while they walk a
 * resource. A fault collects its location on the way out (.key and [index] segments) and becomes a
 * FhirError at the entry point, with the full path in the OperationOutcome's expression.
 */
import { FhirError, type ErrorCategory } from '../core/index.js';

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

/** A problem found during a conversion; `location` grows as the walk unwinds. */
export class ConversionFault extends Error {
  location = '';

  constructor(readonly code: FormatCode, message: string, readonly category: ErrorCategory = 'invalid') {
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
  return new FhirError(error.category, error.code, `${expression}: ${error.message}`,
    { expression, issueType: error.category === 'invalid' ? 'structure' : 'processing' });
}
