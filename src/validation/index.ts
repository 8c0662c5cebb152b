/**
 * validation: checks of resources against the model and profiles: structure, cardinality, types,
 * fixed and pattern values, slicing, bindings, invariants, extensions, references; compiled
 * definitions (FHIR Schema style), terminology for bindings, and the $validate and package
 * operations (packages themselves are src/packages). See docs/validation.md.
 */
export * from './structure-issues.js';
export * from './validation-issues.js';
export { validationErrors } from './validation-errors.js';
export * from './primitive-check.js';
export * from './extension-check.js';
export { FhirValidator, checkStructure, type ValidateOptions, type ValidatorSettings, type WalkResult } from './fhir-validator.js';
export { DefinitionRegistry } from './schema/definition-registry.js';
export type { CompiledDefinition } from './schema/compiled-definition.js';
export { Terminology, type Membership } from './terminology/terminology.js';
export { createWriteValidator, referencesRequested, REFERENCES_HEADER, type ServerValidationSettings } from './server-validator.js';
export { validateOperation, validateOperationEntry, VALIDATE_PARAMETERS, type ValidateOperationDeps } from './operations/validate-operation.js';
export { loadPackageOperationEntry } from './operations/package-operation.js';
