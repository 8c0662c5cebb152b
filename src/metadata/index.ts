/**
 * metadata: definitions stored as resources (StructureDefinition, SearchParameter, ValueSet, ...)
 * drive the model, at start and live on every server process (LISTEN/NOTIFY).
 */
export * from './metadata-types.js';
export * from './definition-checks.js';
export * from './metadata-sync.js';
export { metadataErrors, type MetadataErrorCode } from './metadata-errors.js';
