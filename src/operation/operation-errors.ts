/**
 * The errors of an operation's input. The reader (parameters-reader.ts) finds five kinds of
 * problem and words them the same way for every operation; which code each kind carries is the
 * operation's ParameterErrors: the codes below unless its module has its own (the platform's
 * operations answer 422 platform.*, $run and $materialize 400 sof.invalid-parameter).
 */
import { defineErrors, detail, type FhirError, type FhirErrorOptions } from '../core/index.js';

export const operationErrors = defineErrors('operation', {
  'operation.not-parameters': {
    category: 'invalid',
    summary: 'The body of an operation is neither a Parameters resource nor the one resource the operation takes',
    message: detail,
  },
  'operation.unknown-parameter': {
    category: 'invalid',
    summary: 'The operation has no parameter of that name',
    message: detail,
  },
  'operation.repeated-parameter': {
    category: 'invalid',
    summary: 'A parameter is given more often than its definition allows',
    message: detail,
  },
  'operation.missing-parameter': {
    category: 'invalid',
    summary: 'A parameter the operation requires is not given',
    message: detail,
  },
  'operation.invalid-parameter': {
    category: 'invalid',
    summary: 'A parameter has no name, or a value that is not of its type',
    message: detail,
  },
});

/** The kinds of problem the reader finds in an operation's input. */
export type ParameterProblem = 'not-parameters' | 'unknown' | 'repeated' | 'missing' | 'invalid';

export type ParameterErrorRaiser = (args: { detail: string }, options?: FhirErrorOptions) => FhirError;

export type ParameterErrors = Readonly<Record<ParameterProblem, ParameterErrorRaiser>>;

export const defaultParameterErrors: ParameterErrors = {
  'not-parameters': operationErrors['operation.not-parameters'],
  unknown: operationErrors['operation.unknown-parameter'],
  repeated: operationErrors['operation.repeated-parameter'],
  missing: operationErrors['operation.missing-parameter'],
  invalid: operationErrors['operation.invalid-parameter'],
};

/** Every kind of problem as the one code of a module (for example sof.invalid-parameter). */
export function oneCodeForAll(raiser: ParameterErrorRaiser): ParameterErrors {
  return { 'not-parameters': raiser, unknown: raiser, repeated: raiser, missing: raiser, invalid: raiser };
}
