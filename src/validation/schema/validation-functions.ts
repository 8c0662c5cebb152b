/**
 * The FHIRPath functions invariants may call beyond the library's own: htmlChecks() and
 * htmlHasContent() for narratives (txt-1, txt-2), and a synchronous resolve() that looks only
 * inside what is being validated: the ResolutionScope the evaluation is given (the walk builds it,
 * walk/resolution-scope.ts), so each validation resolves in its own.
 */
import type { JsonObject } from '../../core/index.js';
import { defineFhirPathFunctions } from '../../fhirpath/index.js';
import { hasHtmlContent, passesHtmlChecks } from '../xhtml-check.js';

/** What resolve() looks in: the resources of the validation running the invariant. */
export interface ResolutionScope {
  /** The resource a reference (a Reference or its reference string) names in the scope, if any. */
  resolve(reference: unknown): JsonObject | undefined;
}

export const VALIDATION_FUNCTIONS = defineFhirPathFunctions({
  htmlChecks: {
    arity: { 0: [] },
    fn: (input) => (input.length === 0 ? [] : input.every((value) => typeof value === 'string' && passesHtmlChecks(value))),
  },
  htmlHasContent: {
    arity: { 0: [] },
    fn: (input) => (input.length === 0 ? [] : input.every((value) => typeof value === 'string' && hasHtmlContent(value))),
  },
  resolve: {
    arity: { 0: [] },
    returnsResources: true,
    fn(input) {
      const scope = this.scope as ResolutionScope | undefined;
      return scope ? input.flatMap((value) => scope.resolve(value) ?? []) : [];
    },
  },
});
