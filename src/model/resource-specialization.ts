/**
 * Definitions of the server's own resource types (http://hl7.org/fhir/R4/structuredefinition.html):
 * a StructureDefinition that specializes DomainResource by its differential, from which the model
 * generates the snapshot (generate-snapshot.ts), and the differential's elements.
 */
import type { Resource } from '../core/index.js';
import type { StructureDefinition } from './compile-type-schema.js';

const BASE = 'http://hl7.org/fhir/StructureDefinition/';

/** One differential element: its path, one type, a short text and its cardinality (0..1 unless told). */
export function differentialElement(path: string, code: string, short: string, many = false, min = 0): object {
  return { path, short, min, max: many ? '*' : '1', type: [{ code }] };
}

/** A resource type defined as a specialization of DomainResource by its differential. */
export function specializationDefinition(type: string, url: string, description: string, elements: object[]): StructureDefinition {
  return {
    resourceType: 'StructureDefinition', url, version: '1', name: type, status: 'active', description,
    kind: 'resource', abstract: false, type, baseDefinition: `${BASE}DomainResource`, derivation: 'specialization',
    differential: { element: elements as never },
  };
}

/** A search parameter of one of the server's own types, with a stable id and url from the type and code. */
export function typeSearchParameter(resourceType: string, code: string, type: string, expression: string, description: string): Resource {
  return {
    resourceType: 'SearchParameter', id: `${resourceType}-${code}`, url: `urn:flint:SearchParameter/${resourceType}-${code}`, name: code,
    status: 'active', description, code, base: [resourceType], type, expression,
  };
}
