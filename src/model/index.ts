/**
 * model: FHIR definitions -> the server's model. Builds it from the core package in vendor/ (read
 * through src/packages, which also installs IGs into it), compiles StructureDefinitions into type
 * schemas (elements, cardinalities, choice types, reference targets, primitive patterns), and
 * indexes canonical resources, search parameters and compartments.
 */
export * from './type-schema.js';
export * from './compile-type-schema.js';
export * from './xsd-regex.js';
export * from './generate-snapshot.js';
export * from './extension-definitions.js';
export * from './canonical-registry.js';
export * from './search-parameter-registry.js';
export * from './compartment-registry.js';
export * from './fhir-model.js';
export * from './core-package.js';
export * from './resource-specialization.js';
