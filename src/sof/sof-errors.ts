/**
 * The failures of SQL on FHIR, as FhirErrors with stable codes. A ViewDefinition that cannot run is
 * 422 (unprocessable) with `expression` naming where in the ViewDefinition the problem is, such as
 * `ViewDefinition.select[0].column[1].path`.
 * The codes, with what each means, are the catalogue below (listed in docs/errors.md).
 */
import { defineErrors, detail, isFhirError, type FhirError } from '../core/index.js';

const viewProblem = (summary: string) => ({ category: 'unprocessable' as const, summary, message: detail });

export const sofErrors = defineErrors('sof', {
  'sof.invalid-view': viewProblem('The ViewDefinition misses an element or has one of the wrong type'),
  'sof.unknown-resource': viewProblem('The ViewDefinition names a resource type the server does not know'),
  'sof.invalid-name': viewProblem('A view or column name is not a valid SQL name'),
  'sof.duplicate-column': viewProblem('Two columns of the view have the same name'),
  'sof.union-mismatch': viewProblem('The selects of a unionAll do not have the same columns'),
  'sof.unknown-constant': viewProblem('An expression uses a constant the view does not define'),
  'sof.invalid-constant': viewProblem('A constant of the view has no value or a value of an unsupported type'),
  'sof.invalid-fhirpath': viewProblem('A FHIRPath expression of the view does not parse'),
  'sof.unknown-element': viewProblem('An expression names an element the resource type does not have'),
  'sof.unknown-function': viewProblem('An expression calls a function views do not support, or with the wrong arguments'),
  'sof.unsupported': viewProblem('An expression uses FHIRPath outside what views support'),
  'sof.type-mismatch': viewProblem('An expression or column has a type that does not fit where it is used'),
  'sof.multiple-values': viewProblem('A column that is not a collection met several values'),
  'sof.missing-name': viewProblem('The view has no name, which materializing needs'),
  'sof.evaluation': viewProblem('A FHIRPath expression of the view failed on a stored resource while the view ran'),
  'sof.name-taken': { category: 'conflict', summary: 'Another object of schema sof has the name of the view', message: detail },
  'sof.invalid-parameter': { category: 'invalid', summary: 'The input of $run or $materialize is not what the operation takes', message: detail },
  'sof.unknown-view': { category: 'not-found', summary: 'The ViewDefinition, or its materialized view, does not exist', message: detail },
});

export type SofErrorCode = keyof typeof sofErrors;

/** A problem with a ViewDefinition (422), located by `location`. */
export function viewError(code: SofErrorCode, diagnostics: string, location: string): FhirError {
  return sofErrors[code]({ detail: `${location}: ${diagnostics}` }, { expression: location });
}

/** Where a FHIRPath expression sits in the view, and its text, for error messages. */
export interface ExpressionSite {
  location: string;
  text: string;
}

export function expressionError(code: SofErrorCode, diagnostics: string, site: ExpressionSite): FhirError {
  return viewError(code, `${diagnostics} (in "${site.text}")`, site.location);
}

/** A failure of the FHIRPath engine (syntax, unknown variable...) restated at its place in the view. */
export function relocate(error: unknown, site: ExpressionSite): unknown {
  if (!isFhirError(error) || error.code.startsWith('sof.')) return error;
  const code: SofErrorCode = error.code === 'fhirpath.syntax' ? 'sof.invalid-fhirpath'
    : error.code === 'fhirpath.unknown-variable' ? 'sof.unknown-constant'
      : error.code === 'fhirpath.unknown-function' || error.code === 'fhirpath.wrong-arity' ? 'sof.unknown-function'
        : error.code === 'fhirpath.evaluation' ? 'sof.evaluation' : 'sof.unsupported';
  return sofErrors[code]({ detail: `${site.location}: ${error.message} (in "${site.text}")` }, { expression: site.location, cause: error });
}

export function multipleValues(column: string, count: number): FhirError {
  return sofErrors['sof.multiple-values']({ detail: `Column ${column} found ${count} values but is not a collection (set collection: true)` }, { expression: column });
}
