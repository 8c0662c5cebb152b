/**
 * The CapabilityStatement at /metadata (http://hl7.org/fhir/R4/http.html#capabilities), generated
 * from what is mounted: served types and their storages, search parameters and operations. Its
 * ETag follows the content, so clients can revalidate with If-None-Match (304).
 */
import { createHash } from 'node:crypto';
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
      ...(ctx.capabilitySecurity ? { security: ctx.capabilitySecurity(baseUrl) } : {}),
      resource: types.map((type) => resourceEntry(ctx, type)),
      interaction: ['transaction', 'batch', 'search-system', 'history-system'].map((code) => ({ code })),
      operation: operationsFor(ctx, 'system'),
    }],
  };
}

/**
 * A weak ETag of the statement's content without its date (which is the time of the request): it
 * changes when the model, the mounted types or the operations change (RFC 9110 section 8.8.3).
 */
function capabilityTag(statement: Resource): string {
  const { date: _date, ...content } = statement;
  return `W/"${createHash('sha256').update(JSON.stringify(content)).digest('base64url').slice(0, 22)}"`;
}

export function capabilities(ctx: EngineContext, request: FhirRequest): FhirResponse {
  const statement = capabilityStatement(ctx, request.baseUrl);
  const etag = capabilityTag(statement);
  const ifNoneMatch = request.headers['if-none-match'];
  // If-None-Match compares weakly (RFC 9110 section 13.1.2): W/"x" and "x" are the same tag.
  const weak = (tag: string) => tag.trim().replace(/^W\//, '');
  if (ifNoneMatch?.split(',').some((tag) => weak(tag) === weak(etag) || tag.trim() === '*')) return { status: 304, headers: { etag } };
  return { status: 200, body: statement, headers: { etag } };
}
