/**
 * The catalogue of the checks a definition must pass before it is committed (definition-checks.ts):
 * all 422, with the element at fault in the expression.
 */
import { defineErrors, detail } from '../core/index.js';

const problem = (summary: string) => ({ category: 'unprocessable' as const, summary, message: detail });

export const metadataErrors = defineErrors('metadata', {
  'metadata.missing-element': problem('A StructureDefinition or SearchParameter misses an element the server needs (url, name, type, kind; code, base, type, expression)'),
  'metadata.type-exists': problem('Another definition already defines the type'),
  'metadata.invalid-type-name': problem('The type name is not [A-Z][A-Za-z0-9]* of at most 55 characters'),
  'metadata.no-snapshot': problem('The StructureDefinition has no snapshot and nothing to generate one from'),
  'metadata.invalid-definition': problem('The StructureDefinition does not compile'),
  'metadata.invalid-expression': problem('The FHIRPath expression of a SearchParameter does not parse'),
});

export type MetadataErrorCode = keyof typeof metadataErrors;
