/**
 * Library failures -> FhirError with a stable code. The library throws plain Errors; their
 * messages are the only signal, so the few it has are matched here and nowhere else.
 *
 * Codes: fhirpath.syntax (does not parse), fhirpath.too-deep (a syntax tree too deep to walk), fhirpath.unknown-function, fhirpath.wrong-arity
 * (a function called with an argument count it does not take), fhirpath.semantic (strict mode,
 * see strict-check.ts), fhirpath.unknown-variable,
 * fhirpath.evaluation (anything else failing at run time). A FhirError thrown by a user function
 * passes through unchanged.
 */
import { FhirError, isFhirError } from '../core/index.js';

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function syntaxError(expression: string, error: unknown): FhirError {
  return new FhirError('unprocessable', 'fhirpath.syntax', `FHIRPath syntax error: ${messageOf(error)}`, {
    expression,
    cause: error,
  });
}

export function tooDeep(expression: string, limit: number): FhirError {
  return new FhirError('unprocessable', 'fhirpath.too-deep', `The FHIRPath expression nests more than ${limit} levels deep`, {
    expression: expression.length > 200 ? `${expression.slice(0, 200)}...` : expression,
  });
}

export function unknownFunction(expression: string, name: string): FhirError {
  return new FhirError('unprocessable', 'fhirpath.unknown-function', `unknown FHIRPath function '${name}'`, { expression });
}

export function wrongArity(expression: string, name: string, count: number): FhirError {
  return new FhirError('unprocessable', 'fhirpath.wrong-arity',
    `FHIRPath function '${name}' does not take ${count} argument${count === 1 ? '' : 's'}`, { expression });
}

/** An error thrown while evaluating, as a FhirError. */
export function evaluationError(expression: string, error: unknown): FhirError {
  if (isFhirError(error)) return error;
  const message = messageOf(error);
  const unknown = /^Not impl(?:emented)?:? (.+)$/.exec(message);
  if (unknown) return unknownFunction(expression, unknown[1]);
  const variable = /undefined environment variable: (.+)$/.exec(message);
  if (variable) {
    return new FhirError('unprocessable', 'fhirpath.unknown-variable', `unknown FHIRPath variable %${variable[1]}`, {
      expression,
      cause: error,
    });
  }
  return new FhirError('unprocessable', 'fhirpath.evaluation', `FHIRPath evaluation failed: ${message}`, {
    expression,
    cause: error,
  });
}
