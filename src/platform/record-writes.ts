/**
 * The operations write storages and APIs as resources through the engine (PUT and DELETE of
 * FlintStorage/{id} and FlintApi/{id}) in their transaction, after the rules passed: validation,
 * history rows and live metadata are the ones every write gets.
 */
import type { Resource } from '../core/index.js';
import { isUniqueViolation } from '../db/index.js';
import { handleRequest, type FhirRequest, type OperationCall } from '../engine/index.js';
import type { WriteTx } from '../storage/index.js';
import { platformError } from './platform-errors.js';
import { asOperation } from './platform-rules.js';
import { FLINT_API } from './system-types.js';

function recordRequest(call: OperationCall, method: 'PUT' | 'DELETE', path: string, body?: Resource): FhirRequest {
  return {
    method, path, query: [], body, contentType: 'application/fhir+json', baseUrl: call.request.baseUrl,
    headers: { 'x-max-isolation-level': call.request.headers['x-max-isolation-level'] },
  };
}

export async function writeRecord(call: OperationCall, tx: WriteTx, resource: Resource): Promise<void> {
  try {
    const request = recordRequest(call, 'PUT', `${resource.resourceType}/${resource.id}`, resource);
    await asOperation(tx, resource.resourceType, resource.id as string, () => handleRequest(call.ctx, request, { tx }));
  } catch (error) {
    // Unique keys (the id, the served type of an API) catch what a lowered isolation level lets through.
    if (!isUniqueViolation(error)) throw error;
    if (resource.resourceType === FLINT_API) throw platformError('platform.api-exists', 'resourceType', `The API conflicts with an existing API for ${resource.type}`);
    throw platformError('platform.storage-exists', 'storageId', `A storage with storageId ${resource.id} exists`);
  }
}

export async function deleteRecord(call: OperationCall, tx: WriteTx, resourceType: string, id: string): Promise<void> {
  await asOperation(tx, resourceType, id, () => handleRequest(call.ctx, recordRequest(call, 'DELETE', `${resourceType}/${id}`), { tx }));
}
