/**
 * patch: the PATCH interaction's two formats (http://hl7.org/fhir/R4/http.html#patch), as pure
 * functions on a resource: JSON Patch (RFC 6902) and FHIRPath Patch (a Parameters resource).
 * Both return a patched copy and throw FhirErrors with stable patch.* codes. See docs/patch.md.
 */
export { applyJsonPatch, validateJsonPatch } from './json-patch.js';
export { applyFhirPathPatch } from './fhirpath-patch.js';
export { readFhirPathPatch, type PatchOperation, type PatchType, type PatchValue } from './fhirpath-patch-operation.js';
export { patchErrors, type PatchErrorCode } from './patch-errors.js';
