/**
 * The rules every API obeys, checked by $create-api and $configure-api in their transaction before
 * the record is written: the seed's parameters, the pre-2604 template, a known storage whose
 * StructureDefinition defines the served type, and one API per resource type (a second one is a
 * conflict).
 */
import type { WriteTx } from '../storage/index.js';
import { platformError } from './platform-errors.js';
import type { ApiRecord } from './platform-records.js';
import { apiForType, readStorageRecord } from './record-store.js';
import { findDefinition, isKnownResourceType, type RuleContext } from './resolve-definition.js';

export const API_TEMPLATES = ['pre-2604'];

function checkApiFields(record: ApiRecord): void {
  for (const parameter of ['resourceType', 'storageId', 'apiTemplate'] as const) {
    if (record[parameter] === '') throw platformError('platform.missing-parameter', parameter, `${parameter} is required`);
  }
  if (!API_TEMPLATES.includes(record.apiTemplate)) {
    throw platformError('platform.unsupported-api-template', 'apiTemplate',
      `apiTemplate ${JSON.stringify(record.apiTemplate)} is not supported; the only template is "pre-2604"`);
  }
}

function checkResourceType(rules: RuleContext, tx: WriteTx, type: string): void {
  if (!isKnownResourceType(rules, tx, type)) {
    throw platformError('platform.unknown-resource-type', 'resourceType', `${type} is not a resource type the server knows`);
  }
  if (rules.storages.isSystemType(type)) {
    throw platformError('platform.system-type', 'resourceType', `${type} is a system type: it is always served from its default storage`);
  }
}

export async function checkApiWrite(rules: RuleContext, tx: WriteTx, record: ApiRecord): Promise<void> {
  checkApiFields(record);
  checkResourceType(rules, tx, record.resourceType);
  const storage = await readStorageRecord(tx, record.storageId);
  if (!storage) throw platformError('platform.unknown-storage', 'storageId', `No storage has the storageId ${record.storageId}`);
  const stored = findDefinition(rules, tx, storage.structureDefinition)?.type;
  if (stored !== record.resourceType) {
    throw platformError('platform.type-mismatch', 'resourceType',
      `Storage ${storage.storageId} stores ${stored ?? `the unknown ${storage.structureDefinition}`}, not ${record.resourceType}`);
  }
  const other = await apiForType(tx, record.resourceType, record.apiId);
  if (other) {
    throw platformError('platform.api-exists', 'resourceType', `${record.resourceType} already has an API (${other.apiId}); one API per resource type is active`);
  }
}
