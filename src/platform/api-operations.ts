/**
 * $create-api, $configure-api, $list-api and $delete-api (the seed's storage and API
 * configuration): an API serves a resource type at /fhir/{resourceType} from a storage with the
 * pre-2604 template (read, vread, create, update, patch, delete, history, search). An API is a
 * FlintApi resource whose id is the apiId. What the operations do is record-operations.ts; this is
 * what an API adds: its parameters, its echo and its rules.
 */
import { checkApiWrite } from './api-rules.js';
import type { OperationInput } from '../operation/index.js';
import { idValue, parameter, requiredString, type ParameterEntry } from './operation-parameters.js';
import { apiResource, type ApiRecord } from './platform-records.js';
import { recordOperations, type RecordKind } from './record-operations.js';
import { listApiRecords, readApiRecord } from './record-store.js';
import { FLINT_API } from './system-types.js';

/** The seed's echo of an API, in the seed's order. */
export function apiParameters(record: ApiRecord): ParameterEntry[] {
  return [
    { name: 'apiId', valueString: record.apiId },
    { name: 'apiTemplate', valueString: record.apiTemplate },
    { name: 'resourceType', valueString: record.resourceType },
    { name: 'storageId', valueString: record.storageId },
  ];
}

function recordFrom(input: OperationInput, apiId: string): ApiRecord {
  return {
    apiId,
    resourceType: requiredString(input, 'resourceType'),
    storageId: idValue(input, 'storageId') ?? requiredString(input, 'storageId'),
    apiTemplate: requiredString(input, 'apiTemplate'),
  };
}

const API: RecordKind<ApiRecord> = {
  name: 'api',
  article: 'An',
  label: 'API',
  idParameter: 'apiId',
  resourceType: FLINT_API,
  parameters: [
    parameter('apiId', 'string'),
    parameter('resourceType', 'string', true),
    parameter('storageId', 'string', true),
    parameter('apiTemplate', 'string', true),
  ],
  exists: 'platform.api-exists',
  notFound: 'platform.api-not-found',
  echo: apiParameters,
  fromValues: recordFrom,
  toResource: apiResource,
  read: readApiRecord,
  list: listApiRecords,
  checkWrite: checkApiWrite,
};

export const API_OPERATIONS = recordOperations(API);
