/**
 * The CapabilityStatement at /metadata (http://hl7.org/fhir/R4/http.html#capabilities), generated
 * from what is mounted: served types and their storages, search parameters and operations.
 */
import type { Resource } from '../../core/index.js';
import type { EngineContext } from '../engine-context.js';
import type { FhirRequest, FhirResponse } from '../fhir-request.js';

export const SOFTWARE = { name: 'Flint', version: '0.1.0' };

const TYPE_INTERACTIONS = ['read', 'vread', 'update', 'patch', 'delete', 'history-instance', 'history-type', 'create', 'search-type'];

function operationsFor(ctx: EngineContext, level: 'system' | 'type', resourceType?: string) {
  return ctx.operations.all()
    .filter((operation) => (level === 'system'
      ? operation.levels.includes('system')
      : !operation.levels.every((l) => l === 'system') && (!operation.resourceTypes || operation.resourceTypes.includes(resourceType as string))))
    .map((operation) => ({ name: operation.name, definition: operation.definition ?? `urn:flint:operation:${operation.name}` }));
}

function resourceEntry(ctx: EngineContext, resourceType: string) {
  const storage = ctx.storages.storageFor(resourceType);
  const interactions = TYPE_INTERACTIONS.filter((code) => storage?.historyTable || !code.startsWith('history'));
  const searchParam = [...ctx.model.searchParameters.forType(resourceType).values()].map((parameter) => ({
    name: parameter.code, definition: parameter.url, type: parameter.type,
  }));
  const operation = operationsFor(ctx, 'type', resourceType);
  return {
    type: resourceType,
    profile: ctx.model.getType(resourceType)?.url,
    interaction: interactions.map((code) => ({ code })),
    versioning: 'versioned-update',
    readHistory: Boolean(storage?.historyTable),
    updateCreate: true,
    conditionalCreate: true,
    conditionalRead: 'modified-since',
    conditionalUpdate: true,
    conditionalDelete: 'multiple',
    searchParam,
    ...(operation.length > 0 ? { operation } : {}),
  };
}

export function capabilityStatement(ctx: EngineContext, baseUrl: string): Resource {
  const types = ctx.storages.allStorages().map((storage) => storage.resourceType).sort();
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: new Date().toISOString(),
    kind: 'instance',
    software: SOFTWARE,
    implementation: { description: 'Flint FHIR server', url: baseUrl },
    fhirVersion: '4.0.1',
    format: ['application/fhir+json', 'json'],
    patchFormat: ['application/json-patch+json', 'application/fhir+json'],
    rest: [{
      mode: 'server',
      resource: types.map((type) => resourceEntry(ctx, type)),
      interaction: ['transaction', 'batch', 'search-system', 'history-system'].map((code) => ({ code })),
      operation: operationsFor(ctx, 'system'),
    }],
  };
}

export function capabilities(ctx: EngineContext, request: FhirRequest): FhirResponse {
  return { status: 200, body: capabilityStatement(ctx, request.baseUrl), headers: {} };
}
