/**
 * References in Aidbox format: a relative reference "Patient/1" (optionally "/_history/2") is
 * {resourceType, id (, version)}, a contained one "#x" is {localRef: "x"}, anything else (absolute
 * URLs, urn:uuid:, conditional references) is {uri}. display, identifier, type and extensions stay.
 * A Reference that already has one of those keys (an element id, say) keeps its reference string,
 * so nothing is ever lost. http://hl7.org/fhir/R4/references.html
 */
import { isValidId, parseReference, type JsonObject } from '../core/index.js';
import { fault, FORMAT_CODES } from './format-errors.js';
import { REFERENCE_FIELD_NAMES } from './first-class-registry.js';

const TYPE_NAME = /^[A-Z][A-Za-z0-9]*$/;

function referenceParts(reference: string): JsonObject {
  if (reference.startsWith('#')) return { localRef: reference.slice(1) };
  const parsed = parseReference(reference);
  if (parsed?.kind === 'relative') {
    return parsed.versionId === undefined
      ? { resourceType: parsed.resourceType, id: parsed.id }
      : { resourceType: parsed.resourceType, id: parsed.id, version: parsed.versionId };
  }
  return { uri: reference };
}

function hasAnyKey(object: JsonObject, keys: Iterable<string>): boolean {
  for (const key of keys) if (Object.hasOwn(object, key)) return true;
  return false;
}

/** FHIR -> Aidbox for one Reference object (its other elements already converted). */
export function referenceToAidbox(reference: JsonObject): JsonObject {
  const text = reference.reference;
  if (typeof text !== 'string' || hasAnyKey(reference, REFERENCE_FIELD_NAMES)) return reference;
  const result: JsonObject = {};
  for (const key of Object.keys(reference)) {
    if (key === 'reference') Object.assign(result, referenceParts(text));
    else result[key] = reference[key];
  }
  return result;
}

function stringField(reference: JsonObject, key: string, check: (value: string) => boolean): string {
  const value = reference[key];
  if (typeof value !== 'string' || !check(value)) {
    throw fault(FORMAT_CODES.referenceInvalid, `${key} ${JSON.stringify(value)} is not valid in a reference`);
  }
  return value;
}

/** The FHIR keys that replace the Aidbox ones: reference, or type for {resourceType} without id. */
function fhirParts(reference: JsonObject): JsonObject {
  if (Object.hasOwn(reference, 'uri')) return { reference: stringField(reference, 'uri', (value) => value !== '') };
  if (Object.hasOwn(reference, 'localRef')) return { reference: `#${stringField(reference, 'localRef', () => true)}` };
  const type = stringField(reference, 'resourceType', (value) => TYPE_NAME.test(value));
  if (!Object.hasOwn(reference, 'id')) {
    if (Object.hasOwn(reference, 'version')) throw fault(FORMAT_CODES.referenceInvalid, 'A reference with a version needs an id');
    if (Object.hasOwn(reference, 'type') && reference.type !== type) {
      throw fault(FORMAT_CODES.referenceAmbiguous, `resourceType ${type} and type ${JSON.stringify(reference.type)} disagree`);
    }
    return { type };
  }
  const id = stringField(reference, 'id', isValidId);
  if (!Object.hasOwn(reference, 'version')) return { reference: `${type}/${id}` };
  return { reference: `${type}/${id}/_history/${stringField(reference, 'version', isValidId)}` };
}

const FORMS = ['resourceType', 'uri', 'localRef'];

/** Aidbox -> FHIR for one Reference object, before its other elements are converted. */
export function referenceToFhir(reference: JsonObject): JsonObject {
  const forms = FORMS.filter((key) => Object.hasOwn(reference, key));
  if (forms.length === 0) return reference;
  if (forms.length > 1 || Object.hasOwn(reference, 'reference')) {
    throw fault(FORMAT_CODES.referenceAmbiguous, `A reference takes one of reference, resourceType/id, uri or localRef, not ${[...forms, ...(Object.hasOwn(reference, 'reference') ? ['reference'] : [])].join(' and ')}`);
  }
  const parts = fhirParts(reference);
  const consumed = forms[0] === 'resourceType' ? new Set(['resourceType', 'id', 'version']) : new Set(forms);
  const result: JsonObject = {};
  for (const key of Object.keys(reference)) {
    if (key === forms[0]) Object.assign(result, parts);
    else if (!consumed.has(key) && !(key === 'type' && Object.hasOwn(parts, 'type'))) result[key] = reference[key];
  }
  return result;
}
