/**
 * Reads of the stored FlintStorage and FlintApi resources, inside the caller's transaction so the
 * rules see what the transaction itself wrote. The records' tables are the system types' default
 * tables. lockPlatform serializes every change of storages and APIs across server processes.
 */
import type { JsonObject } from '../core/index.js';
import type { Queryable } from '../db/index.js';
import { ident, sql } from '../sql/index.js';
import { defaultTableName } from '../storage/index.js';
import { apiRecord, storageRecord, type ApiRecord, type StorageRecord } from './platform-records.js';
import { FLINT_API, FLINT_STORAGE } from './system-types.js';

/** The advisory lock key of storage and API changes ('flintp' in ASCII). */
export const PLATFORM_LOCK_KEY = 0x666c696e7470;

const STORAGES = ident(defaultTableName(FLINT_STORAGE));
const APIS = ident(defaultTableName(FLINT_API));

interface Row {
  id: string;
  resource: JsonObject;
}

export async function lockPlatform(tx: Queryable): Promise<void> {
  await tx.query(sql`SELECT pg_advisory_xact_lock(${PLATFORM_LOCK_KEY}::bigint)`);
}

export async function readStorageRecord(db: Queryable, storageId: string): Promise<StorageRecord | undefined> {
  const { rows } = await db.query<Row>(sql`SELECT id, resource FROM ${STORAGES} WHERE id = ${storageId}`);
  return rows[0] ? storageRecord(rows[0].id, rows[0].resource) : undefined;
}

export async function listStorageRecords(db: Queryable): Promise<StorageRecord[]> {
  const { rows } = await db.query<Row>(sql`SELECT id, resource FROM ${STORAGES} ORDER BY cts, id`);
  return rows.map((row) => storageRecord(row.id, row.resource));
}

/** Other storages (not excludeId) whose main or history table is this table. */
export async function storagesOnTable(db: Queryable, table: string, excludeId: string): Promise<StorageRecord[]> {
  const { rows } = await db.query<Row>(sql`
    SELECT id, resource FROM ${STORAGES}
    WHERE id <> ${excludeId} AND (resource ->> 'tableName' = ${table} OR resource ->> 'historyTableName' = ${table})`);
  return rows.map((row) => storageRecord(row.id, row.resource));
}

export async function readApiRecord(db: Queryable, apiId: string): Promise<ApiRecord | undefined> {
  const { rows } = await db.query<Row>(sql`SELECT id, resource FROM ${APIS} WHERE id = ${apiId}`);
  return rows[0] ? apiRecord(rows[0].id, rows[0].resource) : undefined;
}

export async function listApiRecords(db: Queryable): Promise<ApiRecord[]> {
  const { rows } = await db.query<Row>(sql`SELECT id, resource FROM ${APIS} ORDER BY cts, id`);
  return rows.map((row) => apiRecord(row.id, row.resource));
}

/** The API of a resource type other than excludeId, if there is one. */
export async function apiForType(db: Queryable, resourceType: string, excludeId: string): Promise<ApiRecord | undefined> {
  const { rows } = await db.query<Row>(sql`
    SELECT id, resource FROM ${APIS} WHERE resource ->> 'type' = ${resourceType} AND id <> ${excludeId} LIMIT 1`);
  return rows[0] ? apiRecord(rows[0].id, rows[0].resource) : undefined;
}

export async function apisUsingStorage(db: Queryable, storageId: string): Promise<ApiRecord[]> {
  const { rows } = await db.query<Row>(sql`
    SELECT id, resource FROM ${APIS} WHERE resource -> 'storage' ->> 'reference' = ${`${FLINT_STORAGE}/${storageId}`}`);
  return rows.map((row) => apiRecord(row.id, row.resource));
}

/** At most one API per resource type, kept by the database itself whatever the isolation level. */
export const API_TYPE_INDEX_DDL = `CREATE UNIQUE INDEX IF NOT EXISTS flintapi_type_key ON ${defaultTableName(FLINT_API)} ((resource ->> 'type'))`;
