/**
 * fhirpath: Flint's one FHIRPath engine. A small adapter around fhirpath.js with the FHIR R4 model:
 * cached compilation, FhirErrors with stable codes, FHIR's environment variables, user-defined
 * functions, plain JSON results, and Flint's one FHIRPath syntax tree (expression.ts) for modules
 * that read expressions instead of running them (SQL on FHIR, search paths, invariant analysis).
 * See docs/fhirpath.md.
 */
export {
  evaluateFhirPath,
  evaluateFhirPathTyped,
  compileFhirPath,
  compileTypedFhirPath,
  type FhirPathOptions,
  type CompiledFhirPath,
  type CompiledTypedFhirPath,
} from './evaluate.js';
export type { TypedValue } from './result-values.js';
export { evaluateFhirPathNodes, type FhirPathNode, type JsonLocation } from './result-nodes.js';
export {
  focus,
  typeNameOf,
  type Expression,
  type BinaryExpression,
  type BinaryOperator,
  type LiteralType,
} from './expression.js';
export { parseExpression } from './parse-expression.js';
export {
  defineFhirPathFunctions,
  type FhirPathFunction,
  type FhirPathCall,
  type FhirPathFunctions,
  type FhirPathParameterType,
  type FhirPathTypeSpecifier,
} from './fhirpath-functions.js';
export { describeElement, childTypePath, type ElementFacts } from './element-model.js';
export type { StrictOptions } from './strict-check.js';
export { fhirVariable } from './fhir-variables.js';
export { compiledExpressionCount, clearCompiledExpressions } from './compile-expression.js';
export { skipOpaque } from './keyword-members.js';
export { fhirpathErrors } from './fhirpath-errors.js';
