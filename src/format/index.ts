/**
 * format: FHIR format <-> Aidbox format (https://docs.aidbox.app "Aidbox & FHIR formats"), as pure
 * functions driven by the model: references, choice types, first-class extensions (bound to field
 * names by annotated extension definitions) and meta.createdAt. Also the checks that keep the
 * bindings free of clashes when definitions change.
 */
export { toAidbox } from './to-aidbox.js';
export { toFhir } from './to-fhir.js';
export { referenceToAidbox, referenceToFhir } from './aidbox-reference.js';
export { FORMAT_CODES, formatErrors, type FormatCode } from './format-errors.js';
export { extensionShape, type ExtensionShape } from './extension-shape.js';
export {
  CREATED_AT_URL, FIRST_CLASS_FIELD_URL, FirstClassRegistry, firstClassFieldName, firstClassRegistry,
  type ContainerBindings, type FirstClassBinding,
} from './first-class-registry.js';
export { checkFormatDefinition, formatDefinitionIssues } from './first-class-check.js';
export type { Frame } from './walk-frame.js';
