/**
 * $create-storage, $configure-storage, $list-storage and $delete-storage (the seed's storage and
 * API configuration): Parameters in, Parameters out. A storage is a FlintStorage resource whose id
 * is the storageId; a client may choose the storageId, and with ifNoneExist=true an existing one is
 * answered as it is (200, nothing changed), which makes set-up repeatable.
 */
import { newResourceId } from '../core/index.js';
import { inWriteTransaction, type FhirResponse, type OperationCall } from '../engine/index.js';
import type { WriteTx } from '../storage/index.js';
import {
  idValue, parametersCollection, parametersResource, readParameters, requiredString, stringValue,
  type ParameterEntry, type ParameterSpec, type ParameterValues,
} from './operation-parameters.js';
import { conflictError, notFoundError, parameterError, PLATFORM_CODES as CODES } from './platform-errors.js';
import { storageResource, type StorageRecord } from './platform-records.js';
import { listStorageRecords, lockPlatform, readStorageRecord } from './record-store.js';
import { deleteRecord, writeRecord } from './record-writes.js';
import type { RuleContext } from './resolve-definition.js';
import { checkStorageDelete, checkStorageWrite } from './storage-rules.js';
import { FLINT_STORAGE } from './system-types.js';

const STORAGE_PARAMETERS: ParameterSpec = {
  structureDefinition: 'valueCanonical',
  storageType: 'valueString',
  tableName: 'valueString',
  history: 'valueBoolean',
  historyTableName: 'valueString',
  storageId: 'valueString',
};
const CREATE_PARAMETERS: ParameterSpec = { ...STORAGE_PARAMETERS, ifNoneExist: 'valueBoolean' };
const ID_PARAMETER: ParameterSpec = { storageId: 'valueString' };

/** The seed's echo of a storage, in the seed's order. */
export function storageParameters(record: StorageRecord): ParameterEntry[] {
  return [
    { name: 'structureDefinition', valueCanonical: record.structureDefinition },
    { name: 'storageType', valueString: record.storageType },
    { name: 'tableName', valueString: record.tableName },
    { name: 'history', valueBoolean: record.history },
    ...(record.historyTableName !== undefined ? [{ name: 'historyTableName', valueString: record.historyTableName }] : []),
    { name: 'storageId', valueString: record.storageId },
  ];
}

function recordFrom(values: ParameterValues, storageId: string): StorageRecord {
  const historyTableName = stringValue(values, 'historyTableName');
  return {
    storageId,
    structureDefinition: requiredString(values, 'structureDefinition'),
    storageType: requiredString(values, 'storageType'),
    tableName: requiredString(values, 'tableName'),
    history: values.get('history') === true,
    ...(historyTableName !== undefined ? { historyTableName } : {}),
  };
}

function answer(status: number, parameter: ParameterEntry[]): FhirResponse {
  return { status, headers: {}, body: parametersResource(parameter) };
}

/** The rules (which also make the missing tables), then the record, in one transaction. */
async function save(call: OperationCall, rules: RuleContext, tx: WriteTx, record: StorageRecord): Promise<void> {
  await checkStorageWrite(rules, tx, record);
  await writeRecord(call, tx, storageResource(record));
}

async function createStorage(call: OperationCall, rules: RuleContext): Promise<FhirResponse> {
  const values = readParameters(call.request.body, CREATE_PARAMETERS);
  const givenId = idValue(values, 'storageId');
  const ifNoneExist = values.get('ifNoneExist') === true;
  if (ifNoneExist && givenId === undefined) throw parameterError(CODES.missingParameter, 'storageId', 'ifNoneExist needs the storageId to look for');
  const record = recordFrom(values, givenId ?? newResourceId());
  return inWriteTransaction(call.ctx, call.request, { tx: call.tx }, async (tx) => {
    await lockPlatform(tx);
    const existing = givenId === undefined ? undefined : await readStorageRecord(tx, givenId);
    if (existing && ifNoneExist) return answer(200, storageParameters(existing));
    if (existing) {
      throw conflictError(CODES.storageExists, 'storageId', `A storage with storageId ${givenId} exists; change it with $configure-storage, or pass ifNoneExist=true`);
    }
    await save(call, rules, tx, record);
    return answer(201, storageParameters(record));
  });
}

async function configureStorage(call: OperationCall, rules: RuleContext): Promise<FhirResponse> {
  const values = readParameters(call.request.body, STORAGE_PARAMETERS);
  const storageId = idValue(values, 'storageId') ?? requiredString(values, 'storageId');
  const record = recordFrom(values, storageId);
  return inWriteTransaction(call.ctx, call.request, { tx: call.tx }, async (tx) => {
    await lockPlatform(tx);
    if (!await readStorageRecord(tx, storageId)) throw notFoundError(CODES.storageNotFound, 'storageId', `No storage has the storageId ${storageId}`);
    await save(call, rules, tx, record);
    return answer(200, storageParameters(record));
  });
}

async function listStorages(call: OperationCall): Promise<FhirResponse> {
  readParameters(call.request.body, {}, true);
  const records = await listStorageRecords(call.tx ?? call.ctx.db);
  return { status: 200, headers: {}, body: parametersCollection(records.map((record) => parametersResource(storageParameters(record)))) };
}

async function deleteStorage(call: OperationCall): Promise<FhirResponse> {
  const values = readParameters(call.request.body, ID_PARAMETER);
  const storageId = idValue(values, 'storageId') ?? requiredString(values, 'storageId');
  return inWriteTransaction(call.ctx, call.request, { tx: call.tx }, async (tx) => {
    await lockPlatform(tx);
    if (!await readStorageRecord(tx, storageId)) throw notFoundError(CODES.storageNotFound, 'storageId', `No storage has the storageId ${storageId}`);
    await checkStorageDelete(tx, storageId);
    await deleteRecord(call, tx, FLINT_STORAGE, storageId);
    return answer(200, [{ name: 'status', valueString: 'success' }]);
  });
}

export const STORAGE_OPERATIONS = [
  { name: 'create-storage', affectsState: true, run: createStorage },
  { name: 'configure-storage', affectsState: true, run: configureStorage },
  { name: 'list-storage', affectsState: false, run: listStorages },
  { name: 'delete-storage', affectsState: true, run: deleteStorage },
] as const;
