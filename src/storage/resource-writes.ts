/**
 * The write statements of the seed's storage. Create inserts into the main table; update copies the
 * current row to history and updates the main row with a new txid; delete copies the current row to
 * history, adds a `deleted` marker row and removes the main row. Each is one statement, which also
 * records the change in the outbox (change-capture.ts); the caller runs them inside its transaction.
 */
import type { JsonObject } from '../core/index.js';
import type { Queryable } from '../db/index.js';
import { ident, jsonParam, sql } from '../sql/index.js';
import type { ResourceStorage } from './resource-storage.js';
import type { ResourceStatus } from './resource-row.js';
import { fromTable, type RowCondition } from './resource-reads.js';
import { captureChanges } from './change-capture.js';

export interface WriteResult {
  txid: string;
  ts: string;
}

export interface DeleteResult extends WriteResult {
  /** The stored JSON of the version that was deleted. */
  resource: JsonObject;
}

export interface CurrentVersion {
  txid: string;
  status: ResourceStatus;
  /** The row fails the caller's row condition (only when one was given): it must be treated as missing. */
  hidden?: boolean;
}

/** INSERT a new main row. status is created, or recreated when the id was deleted before. */
export async function insertResource(
  tx: Queryable, storage: ResourceStorage, id: string, body: JsonObject, status: ResourceStatus = 'created',
): Promise<WriteResult> {
  const { rows } = await tx.query<WriteResult>(sql`
    WITH written AS (
      INSERT INTO ${ident(storage.table)} (id, txid, ts, cts, resource_type, status, resource)
      VALUES (${id}, nextval('transaction_id_seq'), now(), now(), ${storage.resourceType}, ${status}::resource_status, ${jsonParam(body)}::jsonb)
      RETURNING id, txid, ts),
    ${captureChanges('written', storage.resourceType, 'created')}
    SELECT txid, ts FROM written`, { prepare: true });
  return rows[0];
}

/** Copy the current row to history (when kept), then UPDATE it with a new txid. */
export async function updateResource(
  tx: Queryable, storage: ResourceStorage, id: string, body: JsonObject, status: 'updated' | 'patched' = 'updated',
): Promise<WriteResult> {
  const archive = storage.historyTable
    ? sql`archived AS (
        INSERT INTO ${ident(storage.historyTable)} (id, txid, ts, cts, resource_type, status, resource)
        SELECT id, txid, ts, cts, resource_type, status, resource FROM ${ident(storage.table)} WHERE id = ${id}),`
    : sql``;
  const { rows } = await tx.query<WriteResult>(sql`
    WITH ${archive} written AS (
      UPDATE ${ident(storage.table)}
      SET txid = nextval('transaction_id_seq'), ts = now(), status = ${status}::resource_status, resource = ${jsonParam(body)}::jsonb
      WHERE id = ${id}
      RETURNING id, txid, ts),
    ${captureChanges('written', storage.resourceType, 'updated')}
    SELECT txid, ts FROM written`, { prepare: true });
  return rows[0];
}

/** Copy to history, add the deleted marker, remove the main row. Undefined when there was no row. */
export async function deleteResource(tx: Queryable, storage: ResourceStorage, id: string): Promise<DeleteResult | undefined> {
  if (!storage.historyTable) {
    const { rows } = await tx.query<DeleteResult>(sql`
      WITH removed AS (DELETE FROM ${ident(storage.table)} WHERE id = ${id} RETURNING id, nextval('transaction_id_seq') AS txid, now() AS ts, resource),
      ${captureChanges('removed', storage.resourceType, 'deleted')}
      SELECT txid, ts, resource FROM removed`, { prepare: true });
    return rows[0];
  }
  const history = ident(storage.historyTable);
  const { rows } = await tx.query<DeleteResult>(sql`
    WITH removed AS (DELETE FROM ${ident(storage.table)} WHERE id = ${id} RETURNING *),
    archived AS (
      INSERT INTO ${history} (id, txid, ts, cts, resource_type, status, resource)
      SELECT id, txid, ts, cts, resource_type, status, resource FROM removed),
    marker AS (
      INSERT INTO ${history} (id, txid, ts, cts, resource_type, status, resource)
      SELECT id, nextval('transaction_id_seq'), now(), cts, resource_type, 'deleted', resource FROM removed
      RETURNING id, txid, ts, resource),
    ${captureChanges('marker', storage.resourceType, 'deleted')}
    SELECT txid, ts, resource FROM marker`, { prepare: true });
  return rows[0];
}

/**
 * The current row's version, locked for the rest of the transaction (FOR UPDATE); with a row
 * condition, also whether the row fails it (hidden), in the same statement.
 */
export async function lockCurrentVersion(tx: Queryable, storage: ResourceStorage, id: string, visible?: RowCondition): Promise<CurrentVersion | undefined> {
  if (visible) {
    const { rows } = await tx.query<CurrentVersion>(sql`
      SELECT txid, status, NOT coalesce(${visible.condition}, false) AS hidden FROM ${fromTable(storage.table, visible)} WHERE id = ${id} FOR UPDATE`);
    return rows[0];
  }
  const { rows } = await tx.query<CurrentVersion>(sql`
    SELECT txid, status FROM ${ident(storage.table)} WHERE id = ${id} FOR UPDATE`, { prepare: true });
  return rows[0];
}

/**
 * Whether a resource as it would be stored (the stored JSON under id) meets a row condition: the
 * condition tested on a one-row subquery with the table's columns, inside the write's transaction.
 */
export async function meetsRowCondition(
  tx: Queryable, storage: ResourceStorage, id: string, body: JsonObject, visible: RowCondition,
): Promise<boolean> {
  const { rows } = await tx.query<{ allowed: boolean | null }>(sql`
    SELECT ${visible.condition} AS allowed FROM (SELECT ${id}::text AS id, 0::bigint AS txid, now() AS ts, now() AS cts,
      ${storage.resourceType}::text AS resource_type, 'created'::resource_status AS status, ${jsonParam(body)}::jsonb AS resource) AS ${ident(visible.alias)}`);
  return rows[0]?.allowed === true;
}

/**
 * Queues the writers of an id that has no main row yet (two PUTs creating the same id): a lock on
 * table and id until the transaction ends. At READ COMMITTED the next statement after it sees the row
 * the previous holder committed.
 */
export async function lockNewId(tx: Queryable, storage: ResourceStorage, id: string): Promise<void> {
  await tx.query(sql`SELECT pg_advisory_xact_lock(hashtextextended(${`${storage.table}/${id}`}, 2))`, { prepare: true });
}

/** Whether the id has ever existed (a history row), which makes a new create a `recreated`. */
export async function hasHistory(tx: Queryable, storage: ResourceStorage, id: string): Promise<boolean> {
  if (!storage.historyTable) return false;
  const { rows } = await tx.query(sql`SELECT 1 FROM ${ident(storage.historyTable)} WHERE id = ${id} LIMIT 1`, { prepare: true });
  return rows.length > 0;
}
