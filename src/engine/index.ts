/**
 * engine: the FHIR interactions (read, vread, create, update, patch, delete, history, search,
 * capabilities, batch, transaction, conditional variants), writes as plans run by one executor
 * (write-plan/), the engine's error catalogue, and the operation registry. Takes plain
 * requests and returns plain responses; no HTTP types here.
 */
export * from './fhir-request.js';
export * from './route.js';
export * from './engine-context.js';
export * from './operation-registry.js';
export * from './preconditions.js';
export * from './prefer.js';
export * from './resource-response.js';
export * from './write-transaction.js';
export { handleRequest } from './dispatch.js';
export { capabilityStatement, SOFTWARE } from './interactions/capabilities.js';
export { storageOf, expectResource } from './resource-input.js';
export { visibleRows, type RowsOf } from './visible-rows.js';
export { registerSearchOperations } from './search-operations.js';
export { engineErrors, type ConditionalWrite } from './engine-errors.js';
export { checkRequest, type RequestGuard } from './request-guard.js';
export type { WritePlan } from './write-plan/index.js';
