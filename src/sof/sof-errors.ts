/**
 * The failures of SQL on FHIR, as FhirErrors with stable codes. A ViewDefinition that cannot run is
 * 422 (unprocessable) with `expression` naming where in the ViewDefinition the problem is, such as
 * `ViewDefinition.select[0].column[1].path`.
 *
 * Codes: sof.invalid-view (shape: a missing or mistyped element), sof.unknown-resource,
 * sof.invalid-name, sof.duplicate-column, sof.union-mismatch, sof.unknown-constant,
 * sof.invalid-constant, sof.invalid-fhirpath (does not parse), sof.unknown-element,
 * sof.unknown-function, sof.unsupported (FHIRPath outside what views support), sof.type-mismatch,
 * sof.multiple-values (a column without collection=true met several values), sof.missing-name,
 * sof.name-taken, sof.invalid-parameter, sof.unknown-view, sof.evaluation (a FHIRPath expression
 * failed on some resource while the view ran).
 */
import { FhirError, isFhirError } from '../core/index.js';

export type SofErrorCode =
  | 'sof.invalid-view' | 'sof.unknown-resource' | 'sof.invalid-name' | 'sof.duplicate-column' | 'sof.union-mismatch'
  | 'sof.unknown-constant' | 'sof.invalid-constant' | 'sof.invalid-fhirpath' | 'sof.unknown-element'
  | 'sof.unknown-function' | 'sof.unsupported' | 'sof.type-mismatch' | 'sof.multiple-values' | 'sof.missing-name'
  | 'sof.name-taken' | 'sof.invalid-parameter' | 'sof.unknown-view' | 'sof.evaluation';

/** A problem with a ViewDefinition (422), located by `location`. */
export function viewError(code: SofErrorCode, diagnostics: string, location: string): FhirError {
  return new FhirError('unprocessable', code, `${location}: ${diagnostics}`, { expression: location });
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
  return new FhirError('unprocessable', code, `${site.location}: ${error.message} (in "${site.text}")`, {
    expression: site.location, cause: error,
  });
}

export function multipleValues(column: string, count: number): FhirError {
  return new FhirError('unprocessable', 'sof.multiple-values',
    `Column ${column} found ${count} values but is not a collection (set collection: true)`, { expression: column });
}
