/**
 * operation: the contract of a FHIR operation (its definition, what it needs from its host, its
 * handler) and the one reader of operation input, driven by the definition's parameters, with the
 * catalogue of its errors. No I/O; the engine's registry is the host.
 */
export * from './operation-contract.js';
export * from './operation-parameter.js';
export * from './operation-input.js';
export * from './operation-errors.js';
export { readOperationInput, type InputDefinition } from './parameters-reader.js';
