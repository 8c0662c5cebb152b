/**
 * The resource types the platform defines for itself: FlintStorage (where a resource type's data
 * lives) and FlintApi (which storage is served at /fhir/{type}). They are ordinary resource types,
 * defined by a differential like any custom type, so the records are validated, stored with
 * history, readable at /fhir/FlintStorage and /fhir/FlintApi, and flow through live metadata.
 */
import type { FhirModel, StructureDefinition } from '../model/index.js';

export const FLINT_STORAGE = 'FlintStorage';
export const FLINT_API = 'FlintApi';

const DOMAIN_RESOURCE = 'http://hl7.org/fhir/StructureDefinition/DomainResource';

export function systemTypeUrl(type: string): string {
  return `urn:flint:StructureDefinition:${type}`;
}

function element(path: string, min: number, code: string, short: string) {
  return { path, min, max: '1', short, type: [{ code }] };
}

function definition(type: string, description: string, elements: object[]): StructureDefinition {
  return {
    resourceType: 'StructureDefinition',
    url: systemTypeUrl(type),
    version: '1',
    name: type,
    status: 'active',
    description,
    kind: 'resource',
    abstract: false,
    type,
    baseDefinition: DOMAIN_RESOURCE,
    derivation: 'specialization',
    differential: { element: [{ path: type, short: description }, ...elements] as never },
  };
}

export const STORAGE_DEFINITION = definition(FLINT_STORAGE, 'Where the data of a resource type is stored', [
  element('FlintStorage.structureDefinition', 1, 'canonical', 'The StructureDefinition the stored resources conform to (url|version)'),
  element('FlintStorage.storageType', 1, 'code', 'default'),
  element('FlintStorage.tableName', 1, 'string', 'The main table'),
  element('FlintStorage.history', 0, 'boolean', 'Whether prior versions are kept'),
  element('FlintStorage.historyTableName', 0, 'string', 'The history table (when history is true)'),
]);

export const API_DEFINITION = definition(FLINT_API, 'A resource type served at /fhir/{type} from a storage', [
  element('FlintApi.type', 1, 'code', 'The resource type served'),
  element('FlintApi.storage', 1, 'Reference', 'The storage it reads and writes (FlintStorage/{storageId})'),
  element('FlintApi.apiTemplate', 1, 'code', 'pre-2604: the full FHIR REST interaction set'),
]);

export const PLATFORM_DEFINITIONS = [STORAGE_DEFINITION, API_DEFINITION];

/** Adds the platform's own types to the model. */
export function addPlatformTypes(model: FhirModel): void {
  for (const platformDefinition of PLATFORM_DEFINITIONS) model.addDefinition(platformDefinition);
}
