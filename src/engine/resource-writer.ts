/**
 * The only way the engine writes resources: each write goes to storage, is recorded in the
 * transaction's change list and passes the hooks' beforeCommit checks (which may reject it). After
 * commit, inWriteTransaction hands the changes to the hooks' afterCommit. A write on behalf of a
 * caller with row rules passes its StoredRowCheck (write-plan/row-check.ts) with the JSON as it
 * will be stored, before the statement.
 */
import type { JsonObject, Resource } from '../core/index.js';
import {
  deleteResource, fromRow, insertResource, toStoredJson, updateResource,
  type ResourceChange, type ResourceStatus, type ResourceStorage, type StoredVersion, type WriteTx,
} from '../storage/index.js';
import type { EngineContext } from './engine-context.js';

/** Refuses a resource (its stored JSON under the id) the caller may not write; runs in the write's transaction. */
export type StoredRowCheck = (tx: WriteTx, id: string, body: JsonObject) => Promise<void>;

async function record(ctx: EngineContext, tx: WriteTx, change: ResourceChange): Promise<void> {
  tx.changes.push(change);
  for (const hook of ctx.hooks) if (hook.beforeCommit) await hook.beforeCommit(change, tx);
}

/** The resource as the hooks want it stored (each hook's beforeStore, in order). */
async function prepared(ctx: EngineContext, tx: WriteTx, resourceType: string, id: string, resource: Resource): Promise<Resource> {
  let result = resource;
  for (const hook of ctx.hooks) if (hook.beforeStore) result = await hook.beforeStore({ resourceType, id, resource: result }, tx);
  return result;
}

export async function createVersion(
  ctx: EngineContext, tx: WriteTx, storage: ResourceStorage, resource: Resource, id: string, status: ResourceStatus = 'created',
  check?: StoredRowCheck,
): Promise<StoredVersion> {
  const body = toStoredJson(await prepared(ctx, tx, storage.resourceType, id, resource));
  if (check) await check(tx, id, body);
  const written = await insertResource(tx, storage, id, body, status);
  const version = fromRow({ id, txid: written.txid, ts: written.ts, resource_type: storage.resourceType, status, resource: body });
  await record(ctx, tx, { action: 'create', resourceType: storage.resourceType, id, versionId: version.versionId, resource: version.resource });
  return version;
}

/** A new version of an existing resource; status patched when PATCH made it (its history says so). */
export async function updateVersion(
  ctx: EngineContext, tx: WriteTx, storage: ResourceStorage, resource: Resource, id: string, status: 'updated' | 'patched' = 'updated',
  check?: StoredRowCheck,
): Promise<StoredVersion> {
  const body = toStoredJson(await prepared(ctx, tx, storage.resourceType, id, resource));
  if (check) await check(tx, id, body);
  const written = await updateResource(tx, storage, id, body, status);
  const version = fromRow({ id, txid: written.txid, ts: written.ts, resource_type: storage.resourceType, status, resource: body });
  await record(ctx, tx, { action: 'update', resourceType: storage.resourceType, id, versionId: version.versionId, resource: version.resource });
  return version;
}

/** Deletes the resource; the txid of the deletion, or undefined when there was nothing to delete. */
export async function deleteVersion(ctx: EngineContext, tx: WriteTx, storage: ResourceStorage, id: string): Promise<string | undefined> {
  const deleted = await deleteResource(tx, storage, id);
  if (!deleted) return undefined;
  const previous = fromRow({ id, txid: deleted.txid, ts: deleted.ts, resource_type: storage.resourceType, status: 'deleted', resource: deleted.resource }).resource;
  await record(ctx, tx, { action: 'delete', resourceType: storage.resourceType, id, versionId: deleted.txid, previous });
  return deleted.txid;
}
