/**
 * core: the FHIR vocabulary every other module shares. Errors with categories and stable codes,
 * OperationOutcome builders, resource shapes, ids and references. No I/O, no dependencies.
 */
export * from './fhir-error.js';
export * from './error-catalogue.js';
export { coreErrors } from './core-errors.js';
export * from './operation-outcome.js';
export * from './resource.js';
export * from './ids.js';
export * from './reference.js';
export * from './date-range.js';
export * from './error-status.js';
export * from './query-params.js';
export * from './input-text.js';
export * from './number-texts.js';
export * from './json-limits.js';
export * from './fhir-json-parse.js';
export * from './fhir-json-stringify.js';
export * from './caller.js';
export * from './row-rules.js';
