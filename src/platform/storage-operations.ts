/**
 * $create-storage, $configure-storage, $list-storage and $delete-storage (the seed's storage and
 * API configuration): a storage is a FlintStorage resource whose id is the storageId. What the
 * operations do is record-operations.ts; this is what a storage adds: its parameters, its echo, and
 * its rules (which also make the missing tables).
 */
import type { OperationInput } from '../operation/index.js';
import { parameter, requiredString, type ParameterEntry } from './operation-parameters.js';
import { storageResource, type StorageRecord } from './platform-records.js';
import { recordOperations, type RecordKind } from './record-operations.js';
import { listStorageRecords, readStorageRecord } from './record-store.js';
import { checkStorageDelete, checkStorageWrite } from './storage-rules.js';
import { FLINT_STORAGE } from './system-types.js';

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

function recordFrom(input: OperationInput, storageId: string): StorageRecord {
  const historyTableName = input.string('historyTableName');
  return {
    storageId,
    structureDefinition: requiredString(input, 'structureDefinition'),
    storageType: requiredString(input, 'storageType'),
    tableName: requiredString(input, 'tableName'),
    history: input.boolean('history') === true,
    ...(historyTableName !== undefined ? { historyTableName } : {}),
  };
}

const STORAGE: RecordKind<StorageRecord> = {
  name: 'storage',
  article: 'A',
  label: 'storage',
  idParameter: 'storageId',
  resourceType: FLINT_STORAGE,
  parameters: [
    parameter('structureDefinition', 'canonical', true),
    parameter('storageType', 'string', true),
    parameter('tableName', 'string', true),
    parameter('history', 'boolean'),
    parameter('historyTableName', 'string'),
    parameter('storageId', 'string'),
  ],
  exists: 'platform.storage-exists',
  notFound: 'platform.storage-not-found',
  echo: storageParameters,
  fromValues: recordFrom,
  toResource: storageResource,
  read: readStorageRecord,
  list: listStorageRecords,
  checkWrite: checkStorageWrite,
  checkDelete: checkStorageDelete,
};

export const STORAGE_OPERATIONS = recordOperations(STORAGE);
