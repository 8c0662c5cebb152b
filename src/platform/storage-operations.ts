/**
 * $create-storage, $configure-storage, $list-storage and $delete-storage (the seed's storage and
 * API configuration): a storage is a FlintStorage resource whose id is the storageId. What the
 * operations do is record-operations.ts; this is what a storage adds: its parameters, its echo, and
 * its rules (which also make the missing tables).
 */
import { requiredString, stringValue, type ParameterEntry, type ParameterValues } from './operation-parameters.js';
import { PLATFORM_CODES as CODES } from './platform-errors.js';
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

const STORAGE: RecordKind<StorageRecord> = {
  name: 'storage',
  article: 'A',
  label: 'storage',
  idParameter: 'storageId',
  resourceType: FLINT_STORAGE,
  parameters: {
    structureDefinition: 'valueCanonical',
    storageType: 'valueString',
    tableName: 'valueString',
    history: 'valueBoolean',
    historyTableName: 'valueString',
    storageId: 'valueString',
  },
  exists: CODES.storageExists,
  notFound: CODES.storageNotFound,
  echo: storageParameters,
  fromValues: recordFrom,
  toResource: storageResource,
  read: readStorageRecord,
  list: listStorageRecords,
  checkWrite: checkStorageWrite,
  checkDelete: checkStorageDelete,
};

export const STORAGE_OPERATIONS = recordOperations(STORAGE);
