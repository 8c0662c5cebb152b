/**
 * $create-api, $configure-api, $list-api and $delete-api (the seed's storage and API
 * configuration): an API serves a resource type at /fhir/{resourceType} from a storage with the
 * pre-2604 template (read, vread, create, update, patch, delete, history, search). An API is a
 * FlintApi resource whose id is the apiId; a client may choose the apiId, and with ifNoneExist=true
 * an existing one is answered as it is (200, nothing changed).
 */
import { newResourceId } from '../core/index.js';
import { inWriteTransaction, type FhirResponse, type OperationCall } from '../engine/index.js';
import type { WriteTx } from '../storage/index.js';
import { checkApiWrite } from './api-rules.js';
import {
  idValue, parametersCollection, parametersResource, readParameters, requiredString,
  type ParameterEntry, type ParameterSpec, type ParameterValues,
} from './operation-parameters.js';
import { conflictError, notFoundError, parameterError, PLATFORM_CODES as CODES } from './platform-errors.js';
import { apiResource, type ApiRecord } from './platform-records.js';
import { listApiRecords, lockPlatform, readApiRecord } from './record-store.js';
import { deleteRecord, writeRecord } from './record-writes.js';
import type { RuleContext } from './resolve-definition.js';
import { FLINT_API } from './system-types.js';

const API_PARAMETERS: ParameterSpec = {
  apiId: 'valueString',
  resourceType: 'valueString',
  storageId: 'valueString',
  apiTemplate: 'valueString',
};
const CREATE_PARAMETERS: ParameterSpec = { ...API_PARAMETERS, ifNoneExist: 'valueBoolean' };
const ID_PARAMETER: ParameterSpec = { apiId: 'valueString' };

/** The seed's echo of an API, in the seed's order. */
export function apiParameters(record: ApiRecord): ParameterEntry[] {
  return [
    { name: 'apiId', valueString: record.apiId },
    { name: 'apiTemplate', valueString: record.apiTemplate },
    { name: 'resourceType', valueString: record.resourceType },
    { name: 'storageId', valueString: record.storageId },
  ];
}

function recordFrom(values: ParameterValues, apiId: string): ApiRecord {
  return {
    apiId,
    resourceType: requiredString(values, 'resourceType'),
    storageId: idValue(values, 'storageId') ?? requiredString(values, 'storageId'),
    apiTemplate: requiredString(values, 'apiTemplate'),
  };
}

function answer(status: number, parameter: ParameterEntry[]): FhirResponse {
  return { status, headers: {}, body: parametersResource(parameter) };
}

/** The rules, then the record, in one transaction. */
async function save(call: OperationCall, rules: RuleContext, tx: WriteTx, record: ApiRecord): Promise<void> {
  await checkApiWrite(rules, tx, record);
  await writeRecord(call, tx, apiResource(record));
}

async function createApi(call: OperationCall, rules: RuleContext): Promise<FhirResponse> {
  const values = readParameters(call.request.body, CREATE_PARAMETERS);
  const givenId = idValue(values, 'apiId');
  const ifNoneExist = values.get('ifNoneExist') === true;
  if (ifNoneExist && givenId === undefined) throw parameterError(CODES.missingParameter, 'apiId', 'ifNoneExist needs the apiId to look for');
  const record = recordFrom(values, givenId ?? newResourceId());
  return inWriteTransaction(call.ctx, call.request, { tx: call.tx }, async (tx) => {
    await lockPlatform(tx);
    const existing = givenId === undefined ? undefined : await readApiRecord(tx, givenId);
    if (existing && ifNoneExist) return answer(200, apiParameters(existing));
    if (existing) {
      throw conflictError(CODES.apiExists, 'apiId', `An API with apiId ${givenId} exists; change it with $configure-api, or pass ifNoneExist=true`);
    }
    await save(call, rules, tx, record);
    return answer(201, apiParameters(record));
  });
}

async function configureApi(call: OperationCall, rules: RuleContext): Promise<FhirResponse> {
  const values = readParameters(call.request.body, API_PARAMETERS);
  const apiId = idValue(values, 'apiId') ?? requiredString(values, 'apiId');
  const record = recordFrom(values, apiId);
  return inWriteTransaction(call.ctx, call.request, { tx: call.tx }, async (tx) => {
    await lockPlatform(tx);
    if (!await readApiRecord(tx, apiId)) throw notFoundError(CODES.apiNotFound, 'apiId', `No API has the apiId ${apiId}`);
    await save(call, rules, tx, record);
    return answer(200, apiParameters(record));
  });
}

async function listApis(call: OperationCall): Promise<FhirResponse> {
  readParameters(call.request.body, {}, true);
  const records = await listApiRecords(call.tx ?? call.ctx.db);
  return { status: 200, headers: {}, body: parametersCollection(records.map((record) => parametersResource(apiParameters(record)))) };
}

async function deleteApi(call: OperationCall): Promise<FhirResponse> {
  const values = readParameters(call.request.body, ID_PARAMETER);
  const apiId = idValue(values, 'apiId') ?? requiredString(values, 'apiId');
  return inWriteTransaction(call.ctx, call.request, { tx: call.tx }, async (tx) => {
    await lockPlatform(tx);
    if (!await readApiRecord(tx, apiId)) throw notFoundError(CODES.apiNotFound, 'apiId', `No API has the apiId ${apiId}`);
    await deleteRecord(call, tx, FLINT_API, apiId);
    return answer(200, [{ name: 'status', valueString: 'success' }]);
  });
}

export const API_OPERATIONS = [
  { name: 'create-api', affectsState: true, run: createApi },
  { name: 'configure-api', affectsState: true, run: configureApi },
  { name: 'list-api', affectsState: false, run: listApis },
  { name: 'delete-api', affectsState: true, run: deleteApi },
] as const;
