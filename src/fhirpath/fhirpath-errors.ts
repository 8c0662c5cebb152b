/**
 * The stable error codes of FHIRPath (fhirpathErrors, listed in the docs), and the library's
 * failures -> those codes. The library throws plain Errors; their messages are the only signal, so
 * the few it has are matched here and nowhere else. A FhirError thrown by a user function passes
 * through unchanged.
 */
import { defineErrors, detail, isFhirError, type FhirError } from '../core/index.js';

export const fhirpathErrors = defineErrors('fhirpath', {
  'fhirpath.syntax': {
    category: 'unprocessable',
    summary: 'A FHIRPath expression does not parse',
    message: (a: { reason: string }) => `FHIRPath syntax error: ${a.reason}`,
  },
  'fhirpath.too-deep': {
    category: 'unprocessable',
    summary: 'A FHIRPath expression nests deeper than the code that walks it allows',
    message: (a: { limit: number }) => `The FHIRPath expression nests more than ${a.limit} levels deep`,
  },
  'fhirpath.unknown-function': {
    category: 'unprocessable',
    summary: 'A FHIRPath expression calls a function the engine does not have',
    message: (a: { name: string }) => `unknown FHIRPath function '${a.name}'`,
  },
  'fhirpath.wrong-arity': {
    category: 'unprocessable',
    summary: 'A FHIRPath function is called with an argument count it does not take',
    message: (a: { name: string; count: number }) => `FHIRPath function '${a.name}' does not take ${a.count} argument${a.count === 1 ? '' : 's'}`,
  },
  'fhirpath.unknown-variable': {
    category: 'unprocessable',
    summary: 'A FHIRPath expression names a %variable that is not defined',
    message: (a: { name: string }) => `unknown FHIRPath variable %${a.name}`,
  },
  'fhirpath.evaluation': {
    category: 'unprocessable',
    summary: 'A FHIRPath expression failed while it was evaluated',
    message: (a: { reason: string }) => `FHIRPath evaluation failed: ${a.reason}`,
  },
  'fhirpath.semantic': {
    category: 'unprocessable',
    summary: 'Strict mode: a FHIRPath expression is certainly wrong for the model (an unknown element, a choice written with its type...)',
    message: (a: { reason: string }) => `FHIRPath strict check: ${a.reason}`,
  },
  'fhirpath.unknown-profile': {
    category: 'unprocessable',
    summary: 'conformsTo() names a profile the engine cannot check',
    message: (a: { url: string }) => `conformsTo(): profile '${a.url}' is not known here`,
  },
  'fhirpath.function-definition': {
    category: 'fault',
    summary: 'A set of user-defined FHIRPath functions is malformed (a fault of the server, never of a request)',
    message: detail,
  },
});

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function syntaxError(expression: string, error: unknown): FhirError {
  return fhirpathErrors['fhirpath.syntax']({ reason: messageOf(error) }, { expression, cause: error });
}

export function tooDeep(expression: string, limit: number): FhirError {
  return fhirpathErrors['fhirpath.too-deep']({ limit }, {
    expression: expression.length > 200 ? `${expression.slice(0, 200)}...` : expression,
  });
}

export function unknownFunction(expression: string, name: string): FhirError {
  return fhirpathErrors['fhirpath.unknown-function']({ name }, { expression });
}

export function wrongArity(expression: string, name: string, count: number): FhirError {
  return fhirpathErrors['fhirpath.wrong-arity']({ name, count }, { expression });
}

/** An error thrown while evaluating, as a FhirError. */
export function evaluationError(expression: string, error: unknown): FhirError {
  if (isFhirError(error)) return error;
  const message = messageOf(error);
  const unknown = /^Not impl(?:emented)?:? (.+)$/.exec(message);
  if (unknown) return unknownFunction(expression, unknown[1]);
  const variable = /undefined environment variable: (.+)$/.exec(message);
  if (variable) return fhirpathErrors['fhirpath.unknown-variable']({ name: variable[1] }, { expression, cause: error });
  return fhirpathErrors['fhirpath.evaluation']({ reason: message }, { expression, cause: error });
}
