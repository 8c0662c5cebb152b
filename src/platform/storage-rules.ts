/**
 * The rules every storage obeys, checked by $create-storage and $configure-storage in their
 * transaction before the record is written: the seed's parameters, a canonical that defines a
 * resource type, table names that are valid and not another type's or another role's, existing
 * tables with the storage layout and only this type's rows. Then the missing tables are created in
 * the same transaction: a failed operation leaves no table.
 */
import { ident, sql } from '../sql/index.js';
import { createMissingTables, type WriteTx } from '../storage/index.js';
import type { Queryable } from '../db/index.js';
import { platformError } from './platform-errors.js';
import type { StorageRecord } from './platform-records.js';
import { apisUsingStorage, storagesOnTable } from './record-store.js';
import { findDefinition, storedResourceType, type RuleContext } from './resolve-definition.js';
import { inspectTable, tableNameProblem, type TableRole } from './table-names.js';

export const STORAGE_TYPES = ['default'];

interface TableUse {
  name: string;
  role: TableRole;
  parameter: string;
}

function checkStorageFields(record: StorageRecord): void {
  for (const parameter of ['structureDefinition', 'storageType', 'tableName'] as const) {
    if (record[parameter] === '') throw platformError('platform.missing-parameter', parameter, `${parameter} is required`);
  }
  if (!STORAGE_TYPES.includes(record.storageType)) {
    throw platformError('platform.unsupported-storage-type', 'storageType',
      `storageType ${JSON.stringify(record.storageType)} is not supported; the only storage type is "default"`);
  }
  const tableProblem = tableNameProblem(record.tableName);
  if (tableProblem) throw platformError('platform.invalid-table-name', 'tableName', `tableName ${JSON.stringify(record.tableName)} ${tableProblem}`);
  if (record.history && record.historyTableName === undefined) {
    throw platformError('platform.history-table-name-required', 'historyTableName', 'historyTableName is required when history is true');
  }
  if (!record.history && record.historyTableName !== undefined) {
    throw platformError('platform.history-table-name-not-allowed', 'historyTableName', 'historyTableName must be omitted when history is false');
  }
  if (record.historyTableName === undefined) return;
  const historyProblem = tableNameProblem(record.historyTableName);
  if (historyProblem) {
    throw platformError('platform.invalid-table-name', 'historyTableName', `historyTableName ${JSON.stringify(record.historyTableName)} ${historyProblem}`);
  }
  if (record.historyTableName === record.tableName) {
    throw platformError('platform.same-table', 'historyTableName', 'historyTableName must differ from tableName');
  }
}

function tableUses(record: StorageRecord): TableUse[] {
  const uses: TableUse[] = [{ name: record.tableName, role: 'main', parameter: 'tableName' }];
  if (record.history && record.historyTableName) uses.push({ name: record.historyTableName, role: 'history', parameter: 'historyTableName' });
  return uses;
}

/** The default tables of every type of the model: only that type, in that role, may use them. */
function defaultTableOwner(rules: RuleContext, name: string): { type: string; role: TableRole } | undefined {
  for (const type of rules.model.resourceTypes()) {
    const main = type.toLowerCase();
    if (name === main) return { type, role: 'main' };
    if (name === `${main}_history`) return { type, role: 'history' };
  }
  return undefined;
}

async function checkTableUse(rules: RuleContext, tx: Queryable, record: StorageRecord, type: string, use: TableUse): Promise<void> {
  const inUse = (diagnostics: string) => platformError('platform.table-in-use', use.parameter, `${use.parameter} ${use.name} ${diagnostics}`);
  const owner = defaultTableOwner(rules, use.name);
  if (owner && (owner.type !== type || owner.role !== use.role)) throw inUse(`is the default ${owner.role} table of ${owner.type}`);
  for (const other of await storagesOnTable(tx, use.name, record.storageId)) {
    const role: TableRole = other.tableName === use.name ? 'main' : 'history';
    const otherType = findDefinition(rules, tx, other.structureDefinition)?.type;
    if (role !== use.role || (otherType !== undefined && otherType !== type)) {
      throw inUse(`is the ${role} table of storage ${other.storageId}${otherType ? ` (${otherType})` : ''}`);
    }
  }
  const existing = await inspectTable(tx, use.name, use.role);
  if (existing.state === 'unusable') throw platformError('platform.table-layout', use.parameter, `${use.parameter} ${use.name} ${existing.problem}`);
  if (existing.state === 'usable') {
    const { rows } = await tx.query<{ resource_type: string }>(sql`
      SELECT resource_type FROM ${ident(use.name)} WHERE resource_type <> ${type} LIMIT 1`);
    if (rows[0]) throw inUse(`holds ${rows[0].resource_type} resources, not ${type}`);
  }
}

/** Checks a storage about to be written and creates its missing tables in the same transaction. */
export async function checkStorageWrite(rules: RuleContext, tx: WriteTx, record: StorageRecord): Promise<void> {
  checkStorageFields(record);
  const type = storedResourceType(rules, tx, record.structureDefinition, 'structureDefinition');
  for (const use of tableUses(record)) await checkTableUse(rules, tx, record, type, use);
  for (const api of await apisUsingStorage(tx, record.storageId)) {
    if (api.resourceType !== type) {
      throw platformError('platform.type-mismatch', 'structureDefinition',
        `API ${api.apiId} serves ${api.resourceType} from this storage, so its StructureDefinition must define ${api.resourceType}, not ${type}`);
    }
  }
  const historyTable = record.history && record.historyTableName ? record.historyTableName : null;
  await createMissingTables(tx, [{ resourceType: type, table: record.tableName, historyTable }], rules.tableIndexes);
}

/** A storage can be deleted when no API serves from it; its tables and data stay. */
export async function checkStorageDelete(tx: WriteTx, storageId: string): Promise<void> {
  const users = await apisUsingStorage(tx, storageId);
  if (users.length > 0) {
    throw platformError('platform.storage-in-use', 'storageId',
      `Storage ${storageId} is used by API ${users.map((api) => api.apiId).join(', ')}; delete or reconfigure the API first`);
  }
}
