/**
 * The FHIRPath functions invariants may call beyond the library's own: htmlChecks() and
 * htmlHasContent() for narratives (txt-1, txt-2), and a synchronous resolve() that looks only
 * inside what is being validated (walk/resolution-scope.ts).
 */
import { defineFhirPathFunctions } from '../../fhirpath/index.js';
import { resolveInScope } from '../walk/resolution-scope.js';
import { hasHtmlContent, passesHtmlChecks } from '../xhtml-check.js';

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
    fn: (input) => input.flatMap((value) => resolveInScope(value) ?? []),
  },
});
